namespace KvmPS.Kvm.Arm;

/// <summary>What an arm64 vCPU remembers: how KVM_ARM_VCPU_INIT last initialised it through KvmPS.</summary>
internal sealed class ArmVcpuState
{
    public ArmVcpuTarget? Target { get; set; }
}
