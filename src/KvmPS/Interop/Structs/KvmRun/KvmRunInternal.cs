using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.internal (KVM_EXIT_INTERNAL_ERROR); ndata words of data with KVM_CAP_INTERNAL_ERROR_DATA.</summary>
[CStruct("kvm_run.internal")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunInternal
{
    public uint Suberror;
    public uint Ndata;
    public fixed ulong Data[16];
}
