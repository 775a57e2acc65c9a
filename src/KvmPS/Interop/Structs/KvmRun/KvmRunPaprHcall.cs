using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.papr_hcall (KVM_EXIT_PAPR_HCALL).</summary>
[CStruct("kvm_run.papr_hcall")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunPaprHcall
{
    public ulong Nr;
    public ulong Ret;
    public fixed ulong Args[9];
}
