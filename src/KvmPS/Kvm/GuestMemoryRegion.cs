using KvmPS.Interop;

namespace KvmPS.Kvm;

/// <summary>
/// One memory slot of a VM: guest physical range [GuestAddress, GuestAddress + Size) backed by an anonymous shared
/// mapping this object owns. Reads and writes are bounds-checked against the region.
/// </summary>
public sealed class GuestMemoryRegion
{
    private readonly MemoryMapping _memory;
    private readonly bool _ownsMemory;
    private bool _removed;

    internal GuestMemoryRegion(KvmVm vm, int slot, ulong guestAddress, ulong size, MemoryRegionFlags flags, MemoryMapping memory, bool ownsMemory)
    {
        _ownsMemory = ownsMemory;
        Vm = vm;
        Slot = slot;
        GuestAddress = guestAddress;
        Size = size;
        Flags = flags;
        _memory = memory;
    }

    public KvmVm Vm { get; }
    public int VmId => Vm.Id;
    public int Slot { get; }
    public ulong GuestAddress { get; }
    public ulong Size { get; }
    public ulong EndAddress => GuestAddress + Size - 1;
    public MemoryRegionFlags Flags { get; }
    public bool ReadOnly => Flags.HasFlag(MemoryRegionFlags.ReadOnly);
    public bool LogDirtyPages => Flags.HasFlag(MemoryRegionFlags.LogDirtyPages);
    public bool IsRemoved => _removed || _memory.IsClosed;

    /// <summary>The host virtual address backing the region (kvm_userspace_memory_region.userspace_addr); 0 once removed.</summary>
    /// <summary>Where the region's memory is mapped in this process; 0 once the region is removed.</summary>
    public ulong HostAddress => IsRemoved ? 0 : (ulong)_memory.Address;

    public bool Contains(ulong guestAddress, ulong length) =>
        guestAddress >= GuestAddress && length <= Size && guestAddress - GuestAddress <= Size - length;

    public bool Overlaps(ulong guestAddress, ulong size) =>
        guestAddress < GuestAddress + Size && GuestAddress < guestAddress + size;

    public byte[] Read(ulong guestAddress, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return Span(guestAddress, length).ToArray();
    }

    public void Write(ulong guestAddress, ReadOnlySpan<byte> data) =>
        data.CopyTo(Span(guestAddress, data.Length));

    private Span<byte> Span(ulong guestAddress, int length)
    {
        if (!Contains(guestAddress, (ulong)length))
        {
            throw KvmPSException.InvalidArgument("GuestAddressOutOfRegion",
                $"Guest range 0x{guestAddress:X}+{length} is outside memory slot {Slot} (0x{GuestAddress:X}-0x{EndAddress:X}) of VM {VmId}.");
        }
        return _memory.Slice(guestAddress - GuestAddress, length);
    }

    /// <summary>
    /// KVM_GET_DIRTY_LOG (api.txt 4.8): the pages written since the previous call, which resets the log. Needs a
    /// region created with <see cref="MemoryRegionFlags.LogDirtyPages"/>; the bitmap has one bit per page.
    /// </summary>
    public unsafe IReadOnlyList<DirtyPage> GetDirtyPages()
    {
        if (!LogDirtyPages)
        {
            throw KvmPSException.InvalidOperation("DirtyLoggingNotEnabled",
                $"Memory slot {Slot} of VM {VmId} does not log dirty pages; create it with -LogDirtyPages.");
        }
        ulong pageSize = (ulong)Vm.Kernel.PageSize;
        ulong pages = Size / pageSize;
        ulong[] bitmap = new ulong[(pages + 63) / 64];
        fixed (ulong* bits = bitmap)
        {
            var request = new KvmDirtyLog { Slot = (uint)Slot, DirtyBitmap = (ulong)bits };
            Vm.Descriptor.Ioctl(Interop.Ioctls.KvmVmIoctls.GetDirtyLog, ref request);
        }
        var dirty = new List<DirtyPage>();
        for (ulong page = 0; page < pages; page++)
        {
            if ((bitmap[page / 64] & (1ul << (int)(page % 64))) != 0)
            {
                dirty.Add(new DirtyPage(VmId, Slot, GuestAddress + page * pageSize));
            }
        }
        return dirty;
    }

    /// <summary>Marks the slot gone and unmaps its memory, unless the memory belongs to another object (an RMA).</summary>
    internal void ReleaseMemory()
    {
        _removed = true;
        if (_ownsMemory)
        {
            _memory.Dispose();
        }
    }

    public override string ToString() => $"VM {VmId} slot {Slot}: 0x{GuestAddress:X}-0x{EndAddress:X}";
}
