namespace KvmPS.Vfio;

/// <summary>VFIO_IOMMU_SPAPR_TCE_GET_INFO: the default 32-bit DMA window and, with VFIO_IOMMU_SPAPR_INFO_DDW, dynamic DMA windows.</summary>
public sealed class VfioSpaprTceIommuInfo : VfioIommuInfo
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

    public override int ContainerId { get; }
    public override VfioIommuType IommuType { get; }
    public override uint Flags { get; }

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
