using System.Runtime.InteropServices;

namespace KvmPS.Kvm.S390;

/// <summary>struct kvm_s390_ucas_mapping.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KvmS390UcasMapping
{
    public ulong UserAddr;
    public ulong VcpuAddr;
    public ulong Length;
}
