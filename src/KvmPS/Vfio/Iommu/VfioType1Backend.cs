using System.Runtime.CompilerServices;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Vfio.Iommu;

/// <summary>VFIO_TYPE1_IOMMU and VFIO_TYPE1v2_IOMMU (vfio_iommu_type1.c): any IOVA, aligned to the smallest IOMMU page.</summary>
internal sealed class VfioType1Backend(VfioContainer container, VfioIommuType type) : VfioIommuBackend(container, type)
{
    public override VfioIommuInfo GetInfo() => QueryInfo();

    /// <summary>
    /// VFIO_IOMMU_GET_INFO. argsz is sizeof(struct vfio_iommu_type1_info); when the kernel reports a larger argsz it is
    /// offering a capability chain, which KvmPS ignores (the size is reported as <see cref="VfioType1IommuInfo.CapabilityChainSize"/>).
    /// </summary>
    public VfioType1IommuInfo QueryInfo()
    {
        var info = new VfioIommuType1InfoArg { Argsz = Argsz<VfioIommuType1InfoArg>() };
        Handle.Ioctl(VfioIoctls.IommuGetInfo, ref info);
        return new VfioType1IommuInfo(Id, Type, info.Flags, info.IovaPgsizes, info.Argsz, Unsafe.SizeOf<VfioIommuType1InfoArg>());
    }

    public override void CheckMapRange(ulong hostAddress, ulong size) => CheckHostRange(hostAddress, size);

    public override ulong MapAlignment(ulong hostAddress, ulong size, ulong iova) => Math.Max(QueryInfo().MinimumPageSize, 1);
}
