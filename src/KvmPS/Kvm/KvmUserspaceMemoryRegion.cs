using System.Runtime.InteropServices;

namespace KvmPS.Kvm;

/// <summary>struct kvm_userspace_memory_region (checked against the layout by the ABI tests).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KvmUserspaceMemoryRegion
{
    public uint Slot;
    public uint Flags;
    public ulong GuestPhysAddr;
    public ulong MemorySize;
    public ulong UserspaceAddr;
}
