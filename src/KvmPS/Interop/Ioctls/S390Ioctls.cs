using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using static KvmPS.Interop.Ioctls.IoctlsOn<KvmPS.Interop.Handles.IKvmVcpuDescriptor>;
using static KvmPS.Interop.Ioctls.KvmIoctlType;

namespace KvmPS.Interop.Ioctls;

/// <summary>
/// vCPU ioctls of s390 user-controlled VMs (api.txt 4.65-4.67). The generic linux/kvm.h declares them on every
/// architecture; only s390's KVM implements them, so the object model checks the s390 capabilities first.
/// </summary>
internal static class S390Ioctls
{
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> UcasMap = IOW(Kvmio, "KVM_S390_UCAS_MAP", 0x50, S390Structs.UcasMapping);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> UcasUnmap = IOW(Kvmio, "KVM_S390_UCAS_UNMAP", 0x51, S390Structs.UcasMapping);

    /// <summary>The argument is the guest absolute address itself, not a pointer.</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> VcpuFault = IOW(Kvmio, "KVM_S390_VCPU_FAULT", 0x52, CPrimitive.UnsignedLong);
}
