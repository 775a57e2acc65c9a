using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_msi.</summary>
[CStruct("kvm_msi")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmMsi
{
    public uint AddressLo;
    public uint AddressHi;
    public uint Data;
    public uint Flags;
    [CName("devid")] public uint DevId;
    public fixed byte Pad[12];
}
