using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_s390_ucas_mapping.</summary>
[CStruct("kvm_s390_ucas_mapping")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmS390UcasMapping
{
    public ulong UserAddr;
    public ulong VcpuAddr;
    public ulong Length;
}
