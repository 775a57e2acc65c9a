using KvmPS.Interop.Structs;

namespace KvmPS.Interop.Abi;

/// <summary>
/// Structs of linux/vfio.h (and kvm_vfio_spapr_tce of linux/kvm.h), declared by the C# structs in Interop/Structs/Vfio.
/// The headers are generic UAPI, identical on all four architectures, so every struct is declared everywhere; whether
/// the host's IOMMU driver implements the ioctl that passes it is a run-time question (VFIO_CHECK_EXTENSION).
/// </summary>
internal static class VfioStructs
{
    public static readonly KernelStruct GroupStatus = KernelStruct.Of<VfioGroupStatusArg>();

    public static readonly KernelStruct DeviceInfo = KernelStruct.Of<VfioDeviceInfoArg>();

    public static readonly KernelStruct RegionInfo = KernelStruct.Of<VfioRegionInfoArg>();

    public static readonly KernelStruct IrqInfo = KernelStruct.Of<VfioIrqInfoArg>();

    public static readonly KernelStruct IommuType1Info = KernelStruct.Of<VfioIommuType1InfoArg>();

    public static readonly KernelStruct IommuType1DmaMap = KernelStruct.Of<VfioDmaMapArg>();

    public static readonly KernelStruct IommuType1DmaUnmap = KernelStruct.Of<VfioDmaUnmapArg>();

    public static readonly KernelStruct SpaprTceDdwInfo = KernelStruct.Of<VfioSpaprTceDdwInfoArg>();

    public static readonly KernelStruct SpaprTceInfo = KernelStruct.Of<VfioSpaprTceInfoArg>();

    public static readonly KernelStruct SpaprRegisterMemory = KernelStruct.Of<VfioSpaprRegisterMemoryArg>();

    public static readonly KernelStruct SpaprTceCreate = KernelStruct.Of<VfioSpaprTceCreateArg>();

    public static readonly KernelStruct SpaprTceRemove = KernelStruct.Of<VfioSpaprTceRemoveArg>();

    /// <summary>struct kvm_vfio_spapr_tce of linux/kvm.h: the payload of KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE.</summary>
    public static readonly KernelStruct KvmVfioSpaprTce = KernelStruct.Of<KvmVfioSpaprTceArg>();
}
