using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_coalesced_mmio_zone (KVM_REGISTER_COALESCED_MMIO); pio is the anonymous union's view of pad.</summary>
[CStruct("kvm_coalesced_mmio_zone")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmCoalescedMmioZone
{
    public ulong Addr;
    public uint Size;
    public uint Pio;
}

/// <summary>struct kvm_coalesced_mmio: one write recorded in the ring; pio is the anonymous union's view of pad.</summary>
[CStruct("kvm_coalesced_mmio")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmCoalescedMmio
{
    public ulong PhysAddr;
    public uint Len;
    public uint Pio;
    public fixed byte Data[8];
}
