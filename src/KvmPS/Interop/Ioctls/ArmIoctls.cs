using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using static KvmPS.Interop.Ioctls.IoctlsOn<KvmPS.Interop.Handles.IKvmVmDescriptor>;
using static KvmPS.Interop.Ioctls.KvmIoctlType;

namespace KvmPS.Interop.Ioctls;

/// <summary>
/// ARM device addresses (api.txt 4.80, a VM ioctl), vCPU init (4.77-4.78) and ONE_REG discovery (4.84).
/// KVM_ARM_SET_DEVICE_ADDR shares its request number with KVM_GET_ONE_REG (both _IOW 0xab of 16 bytes); the
/// descriptor tells them apart: the first goes to a VM, the second to a vCPU.
/// </summary>
internal static class ArmIoctls
{
    /// <summary>Generic linux/kvm.h declares it for every architecture; only arm64's KVM implements it (KVM_CAP_ARM_SET_DEVICE_ADDR).</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> SetDeviceAddr = IOW(Kvmio, "KVM_ARM_SET_DEVICE_ADDR", 0xab, ArmStructs.DeviceAddr);

    /// <summary>A VM ioctl; struct kvm_vcpu_init exists only in arm64's asm/kvm.h.</summary>
    public static readonly IoctlDefinition<IKvmVmDescriptor> PreferredTarget = IOR(Kvmio, "KVM_ARM_PREFERRED_TARGET", 0xaf, ArmStructs.VcpuInit, ArchitectureSet.Aarch64);

    public static readonly IoctlDefinition<IKvmVcpuDescriptor> VcpuInit = IoctlsOn<IKvmVcpuDescriptor>.IOW(Kvmio, "KVM_ARM_VCPU_INIT", 0xae, ArmStructs.VcpuInit, ArchitectureSet.Aarch64);

    /// <summary>A vCPU ioctl in the generic header; arm64 implements it, and recent x86 kernels too (with KVM_CAP_ONE_REG).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetRegList = IoctlsOn<IKvmVcpuDescriptor>.IOWR(Kvmio, "KVM_GET_REG_LIST", 0xb0, ArmStructs.RegList);
}
