using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_translation (KVM_TRANSLATE, api.txt 4.15): the linear address in, the rest out.</summary>
[CStruct("kvm_translation")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmTranslation
{
    public ulong LinearAddress;
    public ulong PhysicalAddress;
    public byte Valid;
    public byte Writeable;
    public byte Usermode;
    public fixed byte Pad[5];
}
