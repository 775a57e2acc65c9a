using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_userspace_memory_region.</summary>
[CStruct("kvm_userspace_memory_region")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmUserspaceMemoryRegion
{
    public uint Slot;
    public uint Flags;
    public ulong GuestPhysAddr;
    public ulong MemorySize;
    public ulong UserspaceAddr;
}

/// <summary>struct kvm_dirty_log (the bitmap pointer shares a union with a u64 pad).</summary>
[CStruct("kvm_dirty_log")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmDirtyLog
{
    public uint Slot;
    public uint Padding1;
    public ulong DirtyBitmap;
}

/// <summary>struct kvm_irq_level (the irq number shares a union with the status KVM_IRQ_LINE_STATUS returns).</summary>
[CStruct("kvm_irq_level")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmIrqLevel
{
    public uint Irq;
    public uint Level;
}
