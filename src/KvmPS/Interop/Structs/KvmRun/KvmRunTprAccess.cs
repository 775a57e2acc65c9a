using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.tpr_access (KVM_EXIT_TPR_ACCESS, x86 with KVM_TPR_ACCESS_REPORTING).</summary>
[CStruct("kvm_run.tpr_access")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunTprAccess
{
    public ulong Rip;
    public uint IsWrite;
    public uint Pad;
}
