using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using static KvmPS.Interop.Ioctls.IoctlsOn<KvmPS.Interop.Handles.IVfioContainerDescriptor>;

namespace KvmPS.Interop.Ioctls;

/// <summary>
/// The ioctls of linux/vfio.h. Every one is <c>_IO(VFIO_TYPE, VFIO_BASE + n)</c>: the request carries no size, the
/// struct's size travels in its <c>argsz</c> member instead. Numbers are reused across descriptor kinds (12 is
/// IOMMU_GET_INFO and SPAPR_TCE_GET_INFO on a container), so each is declared under its own name.
/// </summary>
internal static class VfioIoctls
{
    /// <summary>VFIO_TYPE, the character ';'.</summary>
    public const byte VfioType = (byte)';';

    /// <summary>VFIO_BASE.</summary>
    public const byte VfioBase = 100;

    // On the container (/dev/vfio/vfio).
    public static readonly IoctlDefinition<IVfioContainerDescriptor> GetApiVersion = IO(VfioType, "VFIO_GET_API_VERSION", VfioBase + 0);
    public static readonly IoctlDefinition<IVfioContainerDescriptor> CheckExtension = IO(VfioType, "VFIO_CHECK_EXTENSION", VfioBase + 1);
    public static readonly IoctlDefinition<IVfioContainerDescriptor> SetIommu = IO(VfioType, "VFIO_SET_IOMMU", VfioBase + 2);

    // On a group (/dev/vfio/<n>).
    public static readonly IoctlDefinition<IVfioGroupDescriptor> GroupGetStatus = IoctlsOn<IVfioGroupDescriptor>.IO(VfioType, "VFIO_GROUP_GET_STATUS", VfioBase + 3, passes: VfioStructs.GroupStatus);
    public static readonly IoctlDefinition<IVfioGroupDescriptor> GroupSetContainer = IoctlsOn<IVfioGroupDescriptor>.IO(VfioType, "VFIO_GROUP_SET_CONTAINER", VfioBase + 4);
    public static readonly IoctlDefinition<IVfioGroupDescriptor> GroupUnsetContainer = IoctlsOn<IVfioGroupDescriptor>.IO(VfioType, "VFIO_GROUP_UNSET_CONTAINER", VfioBase + 5);
    public static readonly IoctlDefinition<IVfioGroupDescriptor> GroupGetDeviceFd = IoctlsOn<IVfioGroupDescriptor>.IO(VfioType, "VFIO_GROUP_GET_DEVICE_FD", VfioBase + 6);

    // On a device.
    public static readonly IoctlDefinition<IVfioDeviceDescriptor> DeviceGetInfo = IoctlsOn<IVfioDeviceDescriptor>.IO(VfioType, "VFIO_DEVICE_GET_INFO", VfioBase + 7, passes: VfioStructs.DeviceInfo);
    public static readonly IoctlDefinition<IVfioDeviceDescriptor> DeviceGetRegionInfo = IoctlsOn<IVfioDeviceDescriptor>.IO(VfioType, "VFIO_DEVICE_GET_REGION_INFO", VfioBase + 8, passes: VfioStructs.RegionInfo);
    public static readonly IoctlDefinition<IVfioDeviceDescriptor> DeviceGetIrqInfo = IoctlsOn<IVfioDeviceDescriptor>.IO(VfioType, "VFIO_DEVICE_GET_IRQ_INFO", VfioBase + 9, passes: VfioStructs.IrqInfo);
    public static readonly IoctlDefinition<IVfioDeviceDescriptor> DeviceReset = IoctlsOn<IVfioDeviceDescriptor>.IO(VfioType, "VFIO_DEVICE_RESET", VfioBase + 11);

    // On a container with Type1/Type1v2 set.
    public static readonly IoctlDefinition<IVfioContainerDescriptor> IommuGetInfo = IO(VfioType, "VFIO_IOMMU_GET_INFO", VfioBase + 12, passes: VfioStructs.IommuType1Info);
    public static readonly IoctlDefinition<IVfioContainerDescriptor> IommuMapDma = IO(VfioType, "VFIO_IOMMU_MAP_DMA", VfioBase + 13, passes: VfioStructs.IommuType1DmaMap);
    public static readonly IoctlDefinition<IVfioContainerDescriptor> IommuUnmapDma = IO(VfioType, "VFIO_IOMMU_UNMAP_DMA", VfioBase + 14, passes: VfioStructs.IommuType1DmaUnmap);

    // On a container with SPAPR_TCE (v1: ENABLE; v2: memory preregistration and dynamic DMA windows).
    public static readonly IoctlDefinition<IVfioContainerDescriptor> IommuEnable = IO(VfioType, "VFIO_IOMMU_ENABLE", VfioBase + 15);
    public static readonly IoctlDefinition<IVfioContainerDescriptor> SpaprTceGetInfo = IO(VfioType, "VFIO_IOMMU_SPAPR_TCE_GET_INFO", VfioBase + 12, passes: VfioStructs.SpaprTceInfo);
    public static readonly IoctlDefinition<IVfioContainerDescriptor> SpaprRegisterMemory = IO(VfioType, "VFIO_IOMMU_SPAPR_REGISTER_MEMORY", VfioBase + 17, passes: VfioStructs.SpaprRegisterMemory);
    public static readonly IoctlDefinition<IVfioContainerDescriptor> SpaprUnregisterMemory = IO(VfioType, "VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY", VfioBase + 18, passes: VfioStructs.SpaprRegisterMemory);
    public static readonly IoctlDefinition<IVfioContainerDescriptor> SpaprTceCreate = IO(VfioType, "VFIO_IOMMU_SPAPR_TCE_CREATE", VfioBase + 19, passes: VfioStructs.SpaprTceCreate);
    public static readonly IoctlDefinition<IVfioContainerDescriptor> SpaprTceRemove = IO(VfioType, "VFIO_IOMMU_SPAPR_TCE_REMOVE", VfioBase + 20, passes: VfioStructs.SpaprTceRemove);
}
