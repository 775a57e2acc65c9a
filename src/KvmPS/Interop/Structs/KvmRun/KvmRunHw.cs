using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.hw (KVM_EXIT_UNKNOWN).</summary>
[CStruct("kvm_run.hw")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunHw
{
    public ulong HardwareExitReason;
}
