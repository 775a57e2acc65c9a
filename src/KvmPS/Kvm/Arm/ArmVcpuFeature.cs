using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm.Arm;

/// <summary>KVM_ARM_VCPU_* feature bits of kvm_vcpu_init.features (arm64 asm/kvm.h); the value is the bit number.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ArmVcpuFeature
{
    [KernelName("KVM_ARM_VCPU_POWER_OFF")] PowerOff = 0,
    [KernelName("KVM_ARM_VCPU_EL1_32BIT")] El1Aarch32 = 1,
    [KernelName("KVM_ARM_VCPU_PSCI_0_2")] Psci02 = 2,
    [KernelName("KVM_ARM_VCPU_PMU_V3")] PmuV3 = 3,
    [KernelName("KVM_ARM_VCPU_SVE")] Sve = 4,
    [KernelName("KVM_ARM_VCPU_PTRAUTH_ADDRESS")] PtrauthAddress = 5,
    [KernelName("KVM_ARM_VCPU_PTRAUTH_GENERIC")] PtrauthGeneric = 6,
}
