namespace KvmPS.Vfio;

/// <summary>
/// What a container's IOMMU reports about itself: <see cref="VfioType1IommuInfo"/> (VFIO_IOMMU_GET_INFO) or
/// <see cref="VfioSpaprTceIommuInfo"/> (VFIO_IOMMU_SPAPR_TCE_GET_INFO, the same ioctl number), by the type set.
/// The members are overridden where each subclass lists them, so they keep their place in its output.
/// </summary>
public abstract class VfioIommuInfo
{
    private protected VfioIommuInfo()
    {
    }

    public abstract int ContainerId { get; }
    public abstract VfioIommuType IommuType { get; }
    public abstract uint Flags { get; }
}
