using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.s390_sieic (KVM_EXIT_S390_SIEIC).</summary>
[CStruct("kvm_run.s390_sieic")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunS390Sieic
{
    public byte Icptcode;
    public ushort Ipa;
    public uint Ipb;
}
