namespace KvmPS.Abi.Tests;

/// <summary>The ioctls issue 3's seed sections name; each must be in the dump wherever the headers define it.</summary>
public static class SeedIoctls
{
    public static readonly IReadOnlyList<string> Names =
    [
        // system
        "KVM_GET_API_VERSION", "KVM_CREATE_VM", "KVM_CHECK_EXTENSION", "KVM_GET_VCPU_MMAP_SIZE",
        // VM
        "KVM_CREATE_VCPU", "KVM_SET_USER_MEMORY_REGION",
        // vCPU
        "KVM_RUN", "KVM_GET_REGS", "KVM_SET_REGS", "KVM_GET_SREGS", "KVM_SET_SREGS",
        // powerpc sPAPR TCE
        "KVM_CREATE_SPAPR_TCE", "KVM_CREATE_SPAPR_TCE_64",
        // ARM
        "KVM_ARM_SET_DEVICE_ADDR",
        // s390 user-controlled VMs
        "KVM_S390_UCAS_MAP", "KVM_S390_UCAS_UNMAP",
        // VFIO sPAPR
        "VFIO_IOMMU_SPAPR_TCE_GET_INFO", "VFIO_IOMMU_SPAPR_TCE_CREATE", "VFIO_IOMMU_SPAPR_TCE_REMOVE",
        "VFIO_IOMMU_SPAPR_REGISTER_MEMORY",
    ];
}
