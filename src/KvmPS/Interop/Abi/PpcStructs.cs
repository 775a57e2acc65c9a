using KvmPS.Interop.Structs;

namespace KvmPS.Interop.Abi;

/// <summary>
/// The powerpc structs of the TCE, RMA, PV-info, SMMU-info and software-TLB ioctls. The sPAPR TCE, RMA and
/// book3e TLB structs live in powerpc's asm/kvm.h; the others are in linux/kvm.h and so exist on every
/// architecture's headers (6.1 UAPI), although only powerpc kernels answer their ioctls.
/// </summary>
internal static class PpcStructs
{
    public static readonly KernelStruct CreateSpaprTce = KernelStruct.Of<KvmCreateSpaprTce>(ArchitectureSet.PowerPC64LE);

    public static readonly KernelStruct CreateSpaprTce64 = KernelStruct.Of<KvmCreateSpaprTce64>(ArchitectureSet.PowerPC64LE);

    public static readonly KernelStruct AllocateRma = KernelStruct.Of<KvmAllocateRma>(ArchitectureSet.PowerPC64LE);

    public static readonly KernelStruct PvInfo = KernelStruct.Of<KvmPpcPvinfo>();

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

    public static readonly KernelStruct ConfigTlb = KernelStruct.Of<KvmConfigTlb>();

    public static readonly KernelStruct DirtyTlb = KernelStruct.Of<KvmDirtyTlb>();

    public static readonly KernelStruct Book3e206TlbParams = KernelStruct.Of<KvmBook3e206TlbParams>(ArchitectureSet.PowerPC64LE);

    public static readonly KernelStruct Book3e206TlbEntry = KernelStruct.Of<PpcTlbEntry>(ArchitectureSet.PowerPC64LE);

    private static CStructLayout OnePageSizeLayout() => CStructLayout.Struct("kvm_ppc_one_page_size")
        .U32("page_shift").U32("pte_enc")
        .Build();

    private static CStructLayout OneSegPageSizeLayout() => CStructLayout.Struct("kvm_ppc_one_seg_page_size")
        .U32("page_shift").U32("slb_enc")
        .Member("enc", OnePageSizeLayout(), PageSizesMax)
        .Build();
}
