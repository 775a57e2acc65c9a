using KvmPS.Interop.Structs;

namespace KvmPS.Interop.Abi;

/// <summary>
/// Structs of the ARM device-address, vCPU-init and ONE_REG discovery ioctls. kvm_arm_device_addr and kvm_reg_list
/// live in the generic linux/kvm.h (so every architecture's headers define them); kvm_vcpu_init only in arm64's asm/kvm.h.
/// </summary>
internal static class ArmStructs
{
    public static readonly KernelStruct DeviceAddr = KernelStruct.Of<KvmArmDeviceAddr>();

    /// <summary>features[7]: KVM_ARM_VCPU_* bit n lives in features[n / 32], bit n % 32.</summary>
    public static readonly KernelStruct VcpuInit = KernelStruct.Of<KvmVcpuInit>(ArchitectureSet.Aarch64);

    /// <summary>n in, n out (the count the kernel has); reg[] is a flexible array of ONE_REG ids.</summary>
    public static readonly KernelStruct RegList = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_reg_list")
            .U64("n").FlexibleArray("reg", CPrimitive.U64)
            .Build(),
        "n", "reg");
}
