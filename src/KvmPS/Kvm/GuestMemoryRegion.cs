using KvmPS.Interop;
using KvmPS.Interop.Structs;

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

    /// <summary>Where the region's memory is mapped in this process (kvm_userspace_memory_region.userspace_addr); 0 once removed.</summary>
    public ulong HostAddress
    {
        get
        {
            try
            {
                return IsRemoved ? 0 : (ulong)_memory.Address;
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }
        }
    }

    internal AddressRange Range => new(GuestAddress, Size);

    public bool Contains(ulong guestAddress, ulong length) => Range.Contains(new AddressRange(guestAddress, length));

    public bool Overlaps(ulong guestAddress, ulong size) => Range.Overlaps(new AddressRange(guestAddress, size));

    /// <summary>A copy of guest memory; the range is checked against the region before anything is allocated.</summary>
    public byte[] Read(ulong guestAddress, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        OffsetOf(guestAddress, (ulong)length);
        byte[] copy = Allocate(length);
        Read(guestAddress, copy);
        return copy;
    }

    /// <summary>Copies guest memory into the caller's buffer, without allocating; the range is checked first.</summary>
    public void Read(ulong guestAddress, Span<byte> destination)
    {
        ulong offset = OffsetOf(guestAddress, (ulong)destination.Length);
        using MappingLease lease = Lease();
        lease.Slice(offset, destination.Length).CopyTo(destination);
    }

    public void Write(ulong guestAddress, ReadOnlySpan<byte> data)
    {
        ulong offset = OffsetOf(guestAddress, (ulong)data.Length);
        using MappingLease lease = Lease();
        data.CopyTo(lease.Slice(offset, data.Length));
    }

    /// <summary>
    /// Copies exactly <paramref name="length"/> bytes of <paramref name="source"/> into guest memory, straight into
    /// the mapping. The range is checked against the region before the first byte is read.
    /// </summary>
    public void WriteFrom(ulong guestAddress, Stream source, ulong length)
    {
        ulong offset = OffsetOf(guestAddress, length);
        using MappingLease lease = Lease();
        for (ulong done = 0; done < length;)
        {
            int chunk = (int)Math.Min(length - done, 1ul << 20);
            source.ReadExactly(lease.Slice(offset + done, chunk));
            done += (ulong)chunk;
        }
    }

    /// <summary>The offset of the range in the mapping, or an error naming the region when the range leaves it.</summary>
    private ulong OffsetOf(ulong guestAddress, ulong length)
    {
        if (!Contains(guestAddress, length))
        {
            throw KvmPSException.InvalidArgument("GuestAddressOutOfRegion",
                $"Guest range 0x{guestAddress:X}+{length} is outside memory slot {Slot} (0x{GuestAddress:X}-0x{EndAddress:X}) of VM {VmId}.");
        }
        return guestAddress - GuestAddress;
    }

    private byte[] Allocate(int length)
    {
        if (length > Array.MaxLength)
        {
            throw new KvmPSException("GuestMemoryReadTooLarge", ErrorKind.LimitsExceeded,
                $"{length} bytes is more than one .NET array holds ({Array.MaxLength}); read the range in smaller pieces.");
        }
        try
        {
            return GC.AllocateUninitializedArray<byte>(length);
        }
        catch (OutOfMemoryException)
        {
            throw new KvmPSException("GuestMemoryReadTooLarge", ErrorKind.ResourceUnavailable,
                $"This process could not allocate {length} bytes to copy guest memory into; read the range in smaller pieces.");
        }
    }

    /// <summary>Holds the mapping for one access, so a concurrent removal unmaps it only after the access ends.</summary>
    private MappingLease Lease()
    {
        if (!_removed)
        {
            try
            {
                return _memory.Lease();
            }
            catch (ObjectDisposedException)
            {
            }
        }
        throw RemovedError();
    }

    private KvmPSException RemovedError() => KvmPSException.InvalidOperation("MemoryRegionRemoved",
        $"Memory slot {Slot} (0x{GuestAddress:X}-0x{EndAddress:X}) of VM {VmId} has been removed.");

    /// <summary>
    /// KVM_GET_DIRTY_LOG (api.txt 4.8): the pages written since the previous call, which resets the log. Needs a
    /// region created with <see cref="MemoryRegionFlags.LogDirtyPages"/>. The kernel writes one bit per page of the
    /// slot's current size (kvm_dirty_bitmap_bytes, in longs), so the call runs under the VM's gate while this
    /// region is still the slot's: a removed region, or a slot number reused by a larger region, cannot be read.
    /// </summary>
    public unsafe IReadOnlyList<DirtyPage> GetDirtyPages()
    {
        if (!LogDirtyPages)
        {
            throw KvmPSException.InvalidOperation("DirtyLoggingNotEnabled",
                $"Memory slot {Slot} of VM {VmId} does not log dirty pages; create it with -LogDirtyPages.");
        }
        if (Vm.DirtyRingBytes > 0)
        {
            throw KvmPSException.InvalidOperation("DirtyLogIsRing",
                $"VM {VmId} logs dirty pages in per-vCPU rings (KVM_CAP_DIRTY_LOG_RING), so KVM_GET_DIRTY_LOG has no bitmap for slot {Slot}; harvest the rings instead.");
        }
        ulong pageSize = (ulong)Vm.Kernel.PageSize;
        ulong pages = Size / pageSize;
        ulong[] bitmap = new ulong[(pages + 63) / 64];
        Vm.WhileCurrent(this, RemovedError, () =>
        {
            fixed (ulong* bits = bitmap)
            {
                var request = new KvmDirtyLog { Slot = (uint)Slot, DirtyBitmap = (ulong)bits };
                Vm.Descriptor.Ioctl(Interop.Ioctls.KvmVmIoctls.GetDirtyLog, ref request);
            }
        });
        // The kernel sets the bits with set_bit_le (mark_page_dirty_in_slot): page n is bit n % 8 of byte n / 8 on every
        // architecture, which differs from bit n % 64 of a native long on big-endian s390x.
        ReadOnlySpan<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(bitmap.AsSpan());
        var dirty = new List<DirtyPage>();
        for (ulong page = 0; page < pages; page++)
        {
            if ((bytes[(int)(page / 8)] & (1 << (int)(page % 8))) != 0)
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
