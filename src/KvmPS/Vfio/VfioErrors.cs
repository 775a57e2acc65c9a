using KvmPS.Interop;

namespace KvmPS.Vfio;

/// <summary>The VFIO errors that need more words than a one-line precondition.</summary>
internal static class VfioErrors
{
    public static KvmPSException ContainerOpenFailed(string path, KvmIoctlException e) => e.ErrnoValue switch
    {
        Errno.ENOENT or Errno.ENODEV or Errno.ENXIO => new KvmPSException("VfioContainerNotFound", ErrorKind.NotInstalled,
            $"{path} does not exist ({e.ErrnoName}), so this host offers no VFIO. Load the VFIO modules (modprobe vfio-pci, which brings " +
            "vfio and vfio_iommu_type1 on x86_64/aarch64; on POWER also modprobe vfio_iommu_spapr_tce), enable the IOMMU " +
            "(e.g. intel_iommu=on or amd_iommu=on on the kernel command line), and bind the device to assign to vfio-pci " +
            "(driverctl set-override <pci address> vfio-pci, or echo the vendor and device id to /sys/bus/pci/drivers/vfio-pci/new_id).", e),
        Errno.EACCES or Errno.EPERM => new KvmPSException("VfioContainerAccessDenied", ErrorKind.PermissionDenied,
            $"{path} exists but cannot be opened ({e.ErrnoName}). Run as root or give your user access to it.", e),
        _ => new KvmPSException($"open.{e.ErrnoName}", KvmIoctlException.KindOf(e.ErrnoValue), $"Cannot open {path}: {e.Message}", e),
    };

    public static KvmPSException GroupOpenFailed(int groupId, string path, KvmIoctlException e) => e.ErrnoValue switch
    {
        Errno.ENOENT or Errno.ENODEV or Errno.ENXIO => new KvmPSException("VfioGroupNotFound", ErrorKind.ObjectNotFound,
            $"{path} does not exist ({e.ErrnoName}): IOMMU group {groupId} does not exist or none of its devices is bound to a VFIO driver. " +
            "Bind every device of the group to vfio-pci.", e),
        Errno.EBUSY => new KvmPSException("VfioGroupInUse", ErrorKind.ResourceBusy,
            $"{path} is already open ({e.ErrnoName}): a VFIO group can be opened only once; close the other user (another process or container) first.", e),
        Errno.EACCES or Errno.EPERM => new KvmPSException("VfioGroupAccessDenied", ErrorKind.PermissionDenied,
            $"{path} cannot be opened ({e.ErrnoName}). Run as root or give your user access to the group node.", e),
        _ => new KvmPSException($"open.{e.ErrnoName}", KvmIoctlException.KindOf(e.ErrnoValue), $"Cannot open {path}: {e.Message}", e),
    };
}
