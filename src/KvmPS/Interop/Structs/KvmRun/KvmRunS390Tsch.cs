using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.s390_tsch (KVM_EXIT_S390_TSCH, with KVM_CAP_S390_CSS_SUPPORT).</summary>
[CStruct("kvm_run.s390_tsch")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunS390Tsch
{
    public ushort SubchannelId;
    public ushort SubchannelNr;
    public uint IoIntParm;
    public uint IoIntWord;
    public uint Ipb;
    public byte Dequeued;
}
