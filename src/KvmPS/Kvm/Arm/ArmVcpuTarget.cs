namespace KvmPS.Kvm.Arm;

/// <summary>A kvm_vcpu_init as the kernel proposed it (KVM_ARM_PREFERRED_TARGET) or as a vCPU was initialised with.</summary>
public sealed record ArmVcpuTarget(int VmId, int? VcpuId, uint Target, string TargetName, IReadOnlyList<ArmVcpuFeature> Features, IReadOnlyList<int> UnknownFeatureBits)
{
    /// <summary>KVM_ARM_TARGET_* of arm64 asm/kvm.h.</summary>
    public static string NameOf(uint target) => target switch
    {
        0 => "KVM_ARM_TARGET_AEM_V8",
        1 => "KVM_ARM_TARGET_FOUNDATION_V8",
        2 => "KVM_ARM_TARGET_CORTEX_A57",
        3 => "KVM_ARM_TARGET_XGENE_POTENZA",
        4 => "KVM_ARM_TARGET_CORTEX_A53",
        5 => "KVM_ARM_TARGET_GENERIC_V8",
        _ => $"target {target}",
    };

    public override string ToString() => $"{TargetName} [{string.Join(", ", Features)}]";
}
