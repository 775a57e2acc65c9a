using KvmPS.Kvm;

namespace KvmPS.Vfio;

/// <summary>A DMA window of a sPAPR container: the bus range [StartAddress, StartAddress + Size) its TCE table translates.</summary>
public sealed class VfioDmaWindow
{
    internal VfioDmaWindow(VfioContainer container, ulong startAddress, ulong size, int pageShift, int levels, bool isDefault)
    {
        Container = container;
        StartAddress = startAddress;
        Size = size;
        PageShift = pageShift;
        Levels = levels;
        IsDefault = isDefault;
    }

    public VfioContainer Container { get; }
    public int ContainerId => Container.Id;

    /// <summary>The PCI bus address the kernel chose (VFIO_IOMMU_SPAPR_TCE_CREATE's start_addr); the window's id for REMOVE.</summary>
    public ulong StartAddress { get; }
    public ulong Size { get; }
    public ulong EndAddress => StartAddress + Size - 1;
    public int PageShift { get; }
    public ulong PageSize => 1UL << PageShift;
    public int Levels { get; }

    /// <summary>The default 32-bit window the container starts with (dma32_window_start/size of GET_INFO).</summary>
    public bool IsDefault { get; }

    /// <summary>
    /// True while the kernel has only noted the default window (def_window_pending after VFIO_SET_IOMMU): it makes the
    /// table on the first VFIO_IOMMU_MAP_DMA, UNMAP_DMA or SPAPR_TCE_CREATE, and until then the group has no hardware
    /// table that a KVM TCE table could be linked to. KvmPS may not have seen the kernel make it, so true means "perhaps".
    /// </summary>
    public bool IsPending { get; internal set; }

    public bool IsRemoved { get; internal set; }

    /// <summary>
    /// kvm_spapr_tce_attach_iommu_group's test: a KVM TCE table can be linked to this window when the window's IOMMU
    /// page is no larger than the table's, both start at the same bus address and the window covers the whole table.
    /// </summary>
    public bool CanBackKvmTable(int pageShift, ulong busOffset, ulong windowSize) =>
        PageShift <= pageShift && StartAddress == busOffset && Size >= windowSize;

    public bool Contains(ulong address, ulong length) => new AddressRange(StartAddress, Size).Contains(new AddressRange(address, length));

    public override string ToString() =>
        $"{(IsDefault ? "default " : "")}{(IsPending ? "(pending) " : "")}DMA window 0x{StartAddress:X}-0x{EndAddress:X} ({VfioPageSize.Describe(PageSize)} pages, {Levels} level{(Levels == 1 ? "" : "s")})";
}

/// <summary>A range of process memory preregistered with VFIO_IOMMU_SPAPR_REGISTER_MEMORY (pinned, accounted as locked).</summary>
public sealed class VfioMemoryRegistration
{
    internal VfioMemoryRegistration(VfioContainer container, ulong hostAddress, ulong size, int hostPageShift, Kvm.GuestMemoryRegion? region)
    {
        Container = container;
        HostAddress = hostAddress;
        Size = size;
        MemoryRegion = region;
        // mm_iommu_do_alloc: __ffs(ua | size), lowered to the size of the pages behind the range. KvmPS maps memory with
        // ordinary pages (no hugetlbfs), so that is the host's PAGE_SIZE.
        MaxIommuPageShift = Math.Min(System.Numerics.BitOperations.TrailingZeroCount(hostAddress | size), hostPageShift);
    }

    /// <summary>
    /// The largest IOMMU page (log2) this memory can back: a window of larger pages cannot map it (mm_iommu_ua_to_hpa
    /// refuses, and VFIO_IOMMU_MAP_DMA answers EINVAL).
    /// </summary>
    public int MaxIommuPageShift { get; }

    public VfioContainer Container { get; }
    public int ContainerId => Container.Id;
    public ulong HostAddress { get; }
    public ulong Size { get; }
    public ulong EndAddress => HostAddress + Size - 1;

    /// <summary>The VM memory region the range backs, when it was registered from one.</summary>
    public Kvm.GuestMemoryRegion? MemoryRegion { get; }
    public bool IsUnregistered { get; internal set; }

    public bool Matches(ulong hostAddress, ulong size) => HostAddress == hostAddress && Size == size;

    public bool Overlaps(ulong hostAddress, ulong size) => new AddressRange(HostAddress, Size).Overlaps(new AddressRange(hostAddress, size));

    public bool Contains(ulong hostAddress, ulong size) => new AddressRange(HostAddress, Size).Contains(new AddressRange(hostAddress, size));

    public override string ToString() => $"registered memory 0x{HostAddress:X}-0x{EndAddress:X}";
}

/// <summary>An IOVA range mapped to process memory with VFIO_IOMMU_MAP_DMA.</summary>
public sealed class VfioDmaMapping
{
    internal VfioDmaMapping(VfioContainer container, ulong iova, ulong size, ulong hostAddress, bool readable, bool writable, Kvm.GuestMemoryRegion? region)
    {
        Container = container;
        Iova = iova;
        Size = size;
        HostAddress = hostAddress;
        Readable = readable;
        Writable = writable;
        MemoryRegion = region;
    }

    public VfioContainer Container { get; }
    public int ContainerId => Container.Id;
    public ulong Iova { get; }
    public ulong Size { get; }
    public ulong EndIova => Iova + Size - 1;
    public ulong HostAddress { get; }

    /// <summary>VFIO_DMA_MAP_FLAG_READ: the device may read the memory.</summary>
    public bool Readable { get; }

    /// <summary>VFIO_DMA_MAP_FLAG_WRITE: the device may write the memory.</summary>
    public bool Writable { get; }
    public Kvm.GuestMemoryRegion? MemoryRegion { get; }
    public bool IsUnmapped { get; internal set; }

    public bool Overlaps(ulong iova, ulong size) => new AddressRange(Iova, Size).Overlaps(new AddressRange(iova, size));

    public override string ToString() => $"DMA mapping IOVA 0x{Iova:X}-0x{EndIova:X} -> 0x{HostAddress:X}";
}
