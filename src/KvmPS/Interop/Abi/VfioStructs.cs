namespace KvmPS.Interop.Abi;

/// <summary>
/// Structs of linux/vfio.h (and kvm_vfio_spapr_tce of linux/kvm.h). The headers are generic UAPI, identical on all four
/// architectures, so every struct is declared everywhere; whether the host's IOMMU driver implements the ioctl
/// that passes it is a run-time question (VFIO_CHECK_EXTENSION).
/// </summary>
internal static class VfioStructs
{
    public static readonly KernelStruct GroupStatus = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_group_status").U32("argsz").U32("flags").Build(),
        "argsz", "flags");

    public static readonly KernelStruct DeviceInfo = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_device_info")
            .U32("argsz").U32("flags").U32("num_regions").U32("num_irqs").U32("cap_offset")
            .Build(),
        "argsz", "flags", "num_regions", "num_irqs", "cap_offset");

    public static readonly KernelStruct RegionInfo = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_region_info")
            .U32("argsz").U32("flags").U32("index").U32("cap_offset").U64("size").U64("offset")
            .Build(),
        "argsz", "flags", "index", "cap_offset", "size", "offset");

    public static readonly KernelStruct IrqInfo = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_irq_info").U32("argsz").U32("flags").U32("index").U32("count").Build(),
        "argsz", "flags", "index", "count");

    public static readonly KernelStruct IommuType1Info = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_iommu_type1_info").U32("argsz").U32("flags").U64("iova_pgsizes").U32("cap_offset").Build(),
        "argsz", "flags", "iova_pgsizes", "cap_offset");

    public static readonly KernelStruct IommuType1DmaMap = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_iommu_type1_dma_map").U32("argsz").U32("flags").U64("vaddr").U64("iova").U64("size").Build(),
        "argsz", "flags", "vaddr", "iova", "size");

    public static readonly KernelStruct IommuType1DmaUnmap = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_iommu_type1_dma_unmap")
            .U32("argsz").U32("flags").U64("iova").U64("size").FlexibleArray("data", CPrimitive.U8)
            .Build(),
        "argsz", "flags", "iova", "size");

    public static readonly CStructLayout SpaprTceDdwInfoLayout =
        CStructLayout.Struct("vfio_iommu_spapr_tce_ddw_info").U64("pgsizes").U32("max_dynamic_windows_supported").U32("levels").Build();

    public static readonly KernelStruct SpaprTceDdwInfo = KernelStruct.Everywhere(SpaprTceDdwInfoLayout,
        "pgsizes", "max_dynamic_windows_supported", "levels");

    public static readonly KernelStruct SpaprTceInfo = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_iommu_spapr_tce_info")
            .U32("argsz").U32("flags").U32("dma32_window_start").U32("dma32_window_size").Member("ddw", SpaprTceDdwInfoLayout)
            .Build(),
        "argsz", "flags", "dma32_window_start", "dma32_window_size", "ddw.pgsizes", "ddw.max_dynamic_windows_supported", "ddw.levels");

    public static readonly KernelStruct SpaprRegisterMemory = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_iommu_spapr_register_memory").U32("argsz").U32("flags").U64("vaddr").U64("size").Build(),
        "argsz", "flags", "vaddr", "size");

    public static readonly KernelStruct SpaprTceCreate = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_iommu_spapr_tce_create")
            .U32("argsz").U32("flags").U32("page_shift").U32("__resv1").U64("window_size").U32("levels").U32("__resv2").U64("start_addr")
            .Build(),
        "argsz", "flags", "page_shift", "window_size", "levels", "start_addr");

    public static readonly KernelStruct SpaprTceRemove = KernelStruct.Everywhere(
        CStructLayout.Struct("vfio_iommu_spapr_tce_remove").U32("argsz").U32("flags").U64("start_addr").Build(),
        "argsz", "flags", "start_addr");

    /// <summary>struct kvm_vfio_spapr_tce of linux/kvm.h: the payload of KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE.</summary>
    public static readonly KernelStruct KvmVfioSpaprTce = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_vfio_spapr_tce").S32("groupfd").S32("tablefd").Build(),
        "groupfd", "tablefd");
}
