namespace KvmPS.Vfio;

/// <summary>VFIO_IOMMU_GET_INFO of a Type1/Type1v2 container.</summary>
public sealed class VfioType1IommuInfo : VfioIommuInfo
{
    internal VfioType1IommuInfo(int containerId, VfioIommuType type, uint flags, ulong iovaPageSizes, uint reportedArgsz, int structSize)
    {
        ContainerId = containerId;
        IommuType = type;
        Flags = flags;
        IovaPageSizeMask = iovaPageSizes;
        PageSizes = (flags & VfioConstants.IommuInfoPgsizes) != 0 ? VfioPageSize.FromMask(iovaPageSizes) : [];
        CapabilityChainSize = reportedArgsz > structSize ? (int)reportedArgsz - structSize : 0;
    }

    public override int ContainerId { get; }
    public override VfioIommuType IommuType { get; }
    public override uint Flags { get; }

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
