namespace KvmPS.Vfio;

/// <summary>VFIO_IOMMU_GET_INFO of a Type1/Type1v2 container.</summary>
public sealed class VfioType1IommuInfo
{
    internal VfioType1IommuInfo(VfioContainer container, uint flags, ulong iovaPageSizes, uint reportedArgsz, int structSize)
    {
        ContainerId = container.Id;
        IommuType = container.IommuType!.Value;
        Flags = flags;
        IovaPageSizeMask = iovaPageSizes;
        PageSizes = (flags & VfioConstants.IommuInfoPgsizes) != 0 ? VfioPageSize.FromMask(iovaPageSizes) : [];
        CapabilityChainSize = reportedArgsz > structSize ? (int)reportedArgsz - structSize : 0;
    }

    public int ContainerId { get; }
    public VfioIommuType IommuType { get; }
    public uint Flags { get; }

    /// <summary>iova_pgsizes: the bitmap of IOMMU page sizes (valid with VFIO_IOMMU_INFO_PGSIZES).</summary>
    public ulong IovaPageSizeMask { get; }
    public IReadOnlyList<VfioPageSize> PageSizes { get; }

    /// <summary>The smallest IOMMU page: the alignment of iova and size for MAP_DMA/UNMAP_DMA.</summary>
    public ulong MinimumPageSize => PageSizes.Count > 0 ? PageSizes[0].Size : 0;

    /// <summary>
    /// Bytes of capability chain (IOVA ranges, migration, DMA limit) the kernel offered by reporting a larger argsz.
    /// KvmPS does not decode the chain: it passes argsz = sizeof(struct vfio_iommu_type1_info) and ignores it.
    /// </summary>
    public int CapabilityChainSize { get; }
}

/// <summary>VFIO_IOMMU_SPAPR_TCE_GET_INFO: the default 32-bit DMA window and, with VFIO_IOMMU_SPAPR_INFO_DDW, dynamic DMA windows.</summary>
public sealed class VfioSpaprTceIommuInfo
{
    internal VfioSpaprTceIommuInfo(int containerId, VfioIommuType type, uint flags, uint dma32Start, uint dma32Size,
        ulong pageSizes, uint maxWindows, uint levels)
    {
        ContainerId = containerId;
        IommuType = type;
        Flags = flags;
        Dma32WindowStart = dma32Start;
        Dma32WindowSize = dma32Size;
        SupportsDynamicWindows = (flags & VfioConstants.SpaprInfoDdw) != 0;
        PageSizeMask = SupportsDynamicWindows ? pageSizes : 0;
        PageSizes = VfioPageSize.FromMask(PageSizeMask);
        MaxDynamicWindows = SupportsDynamicWindows ? (int)maxWindows : 0;
        MaxLevels = SupportsDynamicWindows ? (int)levels : 0;
    }

    public int ContainerId { get; }
    public VfioIommuType IommuType { get; }
    public uint Flags { get; }

    /// <summary>Absolute PCI bus address of the default 32-bit window.</summary>
    public ulong Dma32WindowStart { get; }
    public ulong Dma32WindowSize { get; }

    /// <summary>VFIO_IOMMU_SPAPR_INFO_DDW: the platform supports dynamic DMA windows (reported for SPAPR_TCE_v2 only).</summary>
    public bool SupportsDynamicWindows { get; }

    /// <summary>ddw.pgsizes: the IOMMU page sizes a new window may use.</summary>
    public ulong PageSizeMask { get; }
    public IReadOnlyList<VfioPageSize> PageSizes { get; }
    public IReadOnlyList<int> PageShifts => PageSizes.Select(p => p.Shift).ToArray();

    /// <summary>ddw.max_dynamic_windows_supported: how many windows (the default one included) the platform can hold.</summary>
    public int MaxDynamicWindows { get; }

    /// <summary>ddw.levels: the most TCE table levels a window's table may be split into.</summary>
    public int MaxLevels { get; }
}
