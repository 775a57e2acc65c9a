using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using KvmPS.Kvm;

namespace KvmPS.Vfio;

/// <summary>The IOMMU models a VFIO container can be set to (VFIO_SET_IOMMU); values are the linux/vfio.h extension numbers.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum VfioIommuType
{
    /// <summary>x86/arm64 IOMMU API, v1 semantics (unmap may split mappings).</summary>
    [KernelName("VFIO_TYPE1_IOMMU")] Type1 = 1,

    /// <summary>POWER TCE IOMMU, v1: one 32-bit window, VFIO_IOMMU_ENABLE required.</summary>
    [KernelName("VFIO_SPAPR_TCE_IOMMU")] SpaprTce = 2,

    /// <summary>x86/arm64 IOMMU API, v2 semantics (what QEMU uses).</summary>
    [KernelName("VFIO_TYPE1v2_IOMMU")] Type1v2 = 3,

    /// <summary>POWER TCE IOMMU, v2: memory preregistration and dynamic DMA windows.</summary>
    [KernelName("VFIO_SPAPR_TCE_v2_IOMMU")] SpaprTceV2 = 7,
}

public static class VfioIommuTypes
{
    public static bool IsType1(this VfioIommuType type) => type is VfioIommuType.Type1 or VfioIommuType.Type1v2;
    public static bool IsSpapr(this VfioIommuType type) => type is VfioIommuType.SpaprTce or VfioIommuType.SpaprTceV2;
}
