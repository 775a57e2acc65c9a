using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.arm_nisv (KVM_EXIT_ARM_NISV, with KVM_CAP_ARM_NISV_TO_USER).</summary>
[CStruct("kvm_run.arm_nisv")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunArmNisv
{
    public ulong EsrIss;
    public ulong FaultIpa;
}
