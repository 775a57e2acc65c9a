using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using static KvmPS.Interop.Ioctls.IoctlsOn<KvmPS.Interop.Handles.IKvmVmDescriptor>;
using static KvmPS.Interop.Ioctls.KvmIoctlType;

namespace KvmPS.Interop.Ioctls;

/// <summary>
/// The powerpc ioctls of api.txt. KVM_CREATE_SPAPR_TCE(_64) and KVM_ALLOCATE_RMA exist only where powerpc's
/// asm/kvm.h defines their structs; the others are #defined in linux/kvm.h on every architecture.
/// </summary>
internal static class PpcIoctls
{
    /// <summary>VM ioctl (4.47). _IOW in the header although the kernel writes the struct.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> GetPvinfo = IOW(Kvmio, "KVM_PPC_GET_PVINFO", 0xa1, PpcStructs.PvInfo);

    /// <summary>VM ioctl (4.74).</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> GetSmmuInfo = IOR(Kvmio, "KVM_PPC_GET_SMMU_INFO", 0xa6, PpcStructs.SmmuInfo);

    /// <summary>VM ioctl (4.76): a pointer to the hash table order.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> AllocateHtab = IOWR(Kvmio, "KVM_PPC_ALLOCATE_HTAB", 0xa7, CPrimitive.U32);

    /// <summary>VM ioctl (4.62); returns the table descriptor. Same number as the 64-bit form, told apart by size.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> CreateSpaprTce = IOW(Kvmio, "KVM_CREATE_SPAPR_TCE", 0xa8, PpcStructs.CreateSpaprTce, ArchitectureSet.PowerPC64LE);

    /// <summary>VM ioctl (4.98); returns the table descriptor.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> CreateSpaprTce64 = IOW(Kvmio, "KVM_CREATE_SPAPR_TCE_64", 0xa8, PpcStructs.CreateSpaprTce64, ArchitectureSet.PowerPC64LE);

    /// <summary>VM ioctl (4.63); returns the RMA descriptor and its size.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> AllocateRma = IOR(Kvmio, "KVM_ALLOCATE_RMA", 0xa9, PpcStructs.AllocateRma, ArchitectureSet.PowerPC64LE);

    /// <summary>vCPU ioctl (4.60), after KVM_ENABLE_CAP(KVM_CAP_SW_TLB).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> DirtyTlb = IoctlsOn<IKvmVcpuDescriptor>.IOW(Kvmio, "KVM_DIRTY_TLB", 0xaa, PpcStructs.DirtyTlb);
}
