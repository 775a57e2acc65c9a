using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.s390_stsi (KVM_EXIT_S390_STSI, with KVM_CAP_S390_USER_STSI).</summary>
[CStruct("kvm_run.s390_stsi")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunS390Stsi
{
    public ulong Addr;
    public byte Ar;
    public byte Reserved;
    public byte Fc;
    public byte Sel1;
    public ushort Sel2;
}
