using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Vfio;

/// <summary>vfio_group_status.flags.</summary>
[JsonConverter(typeof(StringEnumConverter))]
[Flags]
public enum VfioGroupFlags : uint
{
    None = 0,
    /// <summary>VFIO_GROUP_FLAGS_VIABLE: every device of the group is bound to a VFIO driver (or to none).</summary>
    Viable = 1 << 0,
    /// <summary>VFIO_GROUP_FLAGS_CONTAINER_SET: the group is attached to a container.</summary>
    ContainerSet = 1 << 1,
}

/// <summary>vfio_device_info.flags.</summary>
[JsonConverter(typeof(StringEnumConverter))]
[Flags]
public enum VfioDeviceFlags : uint
{
    None = 0,
    Reset = 1 << 0,
    Pci = 1 << 1,
    Platform = 1 << 2,
    Amba = 1 << 3,
    Ccw = 1 << 4,
    Ap = 1 << 5,
    FslMc = 1 << 6,
    Capabilities = 1 << 7,
}

/// <summary>vfio_region_info.flags.</summary>
[JsonConverter(typeof(StringEnumConverter))]
[Flags]
public enum VfioRegionFlags : uint
{
    None = 0,
    Read = 1 << 0,
    Write = 1 << 1,
    Mmap = 1 << 2,
    Capabilities = 1 << 3,
}

/// <summary>vfio_irq_info.flags.</summary>
[JsonConverter(typeof(StringEnumConverter))]
[Flags]
public enum VfioIrqFlags : uint
{
    None = 0,
    EventFd = 1 << 0,
    Maskable = 1 << 1,
    Automasked = 1 << 2,
    NoResize = 1 << 3,
}

/// <summary>Flag values of linux/vfio.h the object model sets or tests.</summary>
internal static class VfioConstants
{
    public const uint IommuInfoPgsizes = 1 << 0;      // VFIO_IOMMU_INFO_PGSIZES
    public const uint IommuInfoCaps = 1 << 1;         // VFIO_IOMMU_INFO_CAPS
    public const uint DmaMapFlagRead = 1 << 0;        // VFIO_DMA_MAP_FLAG_READ
    public const uint DmaMapFlagWrite = 1 << 1;       // VFIO_DMA_MAP_FLAG_WRITE
    public const uint SpaprInfoDdw = 1 << 0;          // VFIO_IOMMU_SPAPR_INFO_DDW
}
