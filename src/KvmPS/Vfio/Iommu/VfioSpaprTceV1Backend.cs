using KvmPS.Interop;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Vfio.Iommu;

/// <summary>
/// VFIO_SPAPR_TCE_IOMMU: one group per container and only the default 32-bit window, which DMA may use once
/// VFIO_IOMMU_ENABLE has run (tce_iommu_enable); no memory preregistration, no dynamic windows.
/// </summary>
internal sealed class VfioSpaprTceV1Backend(VfioContainer container) : VfioSpaprTceBackend(container, VfioIommuType.SpaprTce)
{
    /// <summary>VFIO_IOMMU_ENABLE, as QEMU does right after VFIO_SET_IOMMU, then the pending default window.</summary>
    public override void Initialize()
    {
        Handle.Ioctl(VfioIoctls.IommuEnable, 0, errno => errno == Errno.ENOMEM
            ? "Enabling accounts the whole 32-bit window as locked memory; raise the locked-memory limit (ulimit -l) or run as root." : null);
        base.Initialize();
    }

    /// <summary>tce_iommu_attach_group: a v1 container takes no second group (EBUSY).</summary>
    public override void CheckCanAttach(int groupId)
    {
        if (Container.Groups is [VfioGroup first, ..])
        {
            throw KvmPSException.InvalidOperation("VfioSpaprTceOneGroupPerContainer",
                $"A SPAPR_TCE (v1) container holds a single group and container {Id} has group {first.Id}; open another container, " +
                "or use SPAPR_TCE_v2, which shares its tables among groups.");
        }
    }
}
