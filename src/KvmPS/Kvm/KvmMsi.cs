using System.Runtime.InteropServices;

namespace KvmPS.Kvm;

/// <summary>struct kvm_msi (checked against the layout by the ABI tests).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmMsi
{
    public uint AddressLo;
    public uint AddressHi;
    public uint Data;
    public uint Flags;
    public uint DevId;
    public fixed byte Pad[12];
}
