namespace KvmPS.Interop.Abi;

/// <summary>
/// The powerpc structs of the TCE, RMA, PV-info, SMMU-info and software-TLB ioctls. The sPAPR TCE, RMA and
/// book3e TLB structs live in powerpc's asm/kvm.h; the others are in linux/kvm.h and so exist on every
/// architecture's headers (6.1 UAPI), although only powerpc kernels answer their ioctls.
/// </summary>
public static class PpcStructs
{
    public static readonly KernelStruct CreateSpaprTce = KernelStruct.On(ArchitectureSet.PowerPC64LE,
        CStructLayout.Struct("kvm_create_spapr_tce")
            .U64("liobn").U32("window_size")
            .Build(),
        "liobn", "window_size");

    public static readonly KernelStruct CreateSpaprTce64 = KernelStruct.On(ArchitectureSet.PowerPC64LE,
        CStructLayout.Struct("kvm_create_spapr_tce_64")
            .U64("liobn").U32("page_shift").U32("flags").U64("offset").U64("size")
            .Build(),
        "liobn", "page_shift", "flags", "offset", "size");

    public static readonly KernelStruct AllocateRma = KernelStruct.On(ArchitectureSet.PowerPC64LE,
        CStructLayout.Struct("kvm_allocate_rma")
            .U64("rma_size")
            .Build(),
        "rma_size");

    public static readonly KernelStruct PvInfo = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_ppc_pvinfo")
            .U32("flags").U32("hcall", 4).U8("pad", 108)
            .Build(),
        "flags", "hcall");

    /// <summary>KVM_PPC_PAGE_SIZES_MAX_SZ: the length of both page-size arrays of kvm_ppc_smmu_info.</summary>
    public const int PageSizesMax = 8;

    public static readonly KernelStruct OnePageSize = KernelStruct.Everywhere(OnePageSizeLayout(), "page_shift", "pte_enc");

    public static readonly KernelStruct OneSegPageSize = KernelStruct.Everywhere(OneSegPageSizeLayout(), "page_shift", "slb_enc", "enc");

    public static readonly KernelStruct SmmuInfo = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_ppc_smmu_info")
            .U64("flags").U32("slb_size").U16("data_keys").U16("instr_keys")
            .Member("sps", OneSegPageSizeLayout(), PageSizesMax)
            .Build(),
        "flags", "slb_size", "data_keys", "instr_keys", "sps", "sps[1].enc[1].pte_enc");

    public static readonly KernelStruct ConfigTlb = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_config_tlb")
            .U64("params").U64("array").U32("mmu_type").U32("array_len")
            .Build(),
        "params", "array", "mmu_type", "array_len");

    public static readonly KernelStruct DirtyTlb = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_dirty_tlb")
            .U64("bitmap").U32("num_dirty")
            .Build(),
        "bitmap", "num_dirty");

    public static readonly KernelStruct Book3e206TlbParams = KernelStruct.On(ArchitectureSet.PowerPC64LE,
        CStructLayout.Struct("kvm_book3e_206_tlb_params")
            .U32("tlb_sizes", 4).U32("tlb_ways", 4).U32("reserved", 8)
            .Build(),
        "tlb_sizes", "tlb_ways");

    public static readonly KernelStruct Book3e206TlbEntry = KernelStruct.On(ArchitectureSet.PowerPC64LE,
        CStructLayout.Struct("kvm_book3e_206_tlb_entry")
            .U32("mas8").U32("mas1").U64("mas2").U64("mas7_3")
            .Build(),
        "mas8", "mas1", "mas2", "mas7_3");

    private static CStructLayout OnePageSizeLayout() => CStructLayout.Struct("kvm_ppc_one_page_size")
        .U32("page_shift").U32("pte_enc")
        .Build();

    private static CStructLayout OneSegPageSizeLayout() => CStructLayout.Struct("kvm_ppc_one_seg_page_size")
        .U32("page_shift").U32("slb_enc")
        .Member("enc", OnePageSizeLayout(), PageSizesMax)
        .Build();
}
