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
    public bool IsRemoved { get; internal set; }

    public bool Contains(ulong address, ulong length) =>
        address >= StartAddress && length <= Size && address - StartAddress <= Size - length;

    public override string ToString() =>
        $"{(IsDefault ? "default " : "")}DMA window 0x{StartAddress:X}-0x{EndAddress:X} ({VfioPageSize.Describe(PageSize)} pages, {Levels} level{(Levels == 1 ? "" : "s")})";
}

/// <summary>A range of process memory preregistered with VFIO_IOMMU_SPAPR_REGISTER_MEMORY (pinned, accounted as locked).</summary>
public sealed class VfioMemoryRegistration
{
    internal VfioMemoryRegistration(VfioContainer container, ulong hostAddress, ulong size, Kvm.GuestMemoryRegion? region)
    {
        Container = container;
        HostAddress = hostAddress;
        Size = size;
        MemoryRegion = region;
    }

    public VfioContainer Container { get; }
    public int ContainerId => Container.Id;
    public ulong HostAddress { get; }
    public ulong Size { get; }
    public ulong EndAddress => HostAddress + Size - 1;

    /// <summary>The VM memory region the range backs, when it was registered from one.</summary>
    public Kvm.GuestMemoryRegion? MemoryRegion { get; }
    public bool IsUnregistered { get; internal set; }

    public bool Matches(ulong hostAddress, ulong size) => HostAddress == hostAddress && Size == size;

    public bool Overlaps(ulong hostAddress, ulong size) => hostAddress < HostAddress + Size && HostAddress < hostAddress + size;

    public bool Contains(ulong hostAddress, ulong size) =>
        hostAddress >= HostAddress && size <= Size && hostAddress - HostAddress <= Size - size;

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

    public bool Overlaps(ulong iova, ulong size) => iova < Iova + Size && Iova < iova + size;

    public override string ToString() => $"DMA mapping IOVA 0x{Iova:X}-0x{EndIova:X} -> 0x{HostAddress:X}";
}
