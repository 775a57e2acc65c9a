using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_x86_mce (KVM_X86_SET_MCE, api.txt 4.107): one machine-check event for one bank.</summary>
[CStruct("kvm_x86_mce")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmX86Mce
{
    public ulong Status;
    public ulong Addr;
    public ulong Misc;
    public ulong McgStatus;
    public byte Bank;
    public fixed byte Pad1[7];
    public fixed ulong Pad2[3];
}
