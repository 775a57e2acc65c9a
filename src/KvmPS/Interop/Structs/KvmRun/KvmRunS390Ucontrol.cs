using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.s390_ucontrol (KVM_EXIT_S390_UCONTROL).</summary>
[CStruct("kvm_run.s390_ucontrol")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunS390Ucontrol
{
    public ulong TransExcCode;
    public uint PgmCode;
}
