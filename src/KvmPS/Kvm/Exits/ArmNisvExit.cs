namespace KvmPS.Kvm.Exits;

/// <summary>
/// KVM_EXIT_ARM_NISV (KVM_CAP_ARM_NISV_TO_USER): a data abort outside any slot without valid instruction syndrome,
/// which the kernel cannot emulate as MMIO.
/// </summary>
public sealed class ArmNisvExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    /// <summary>ESR_EL2 with everything but the ISS and the EC masked.</summary>
    public ulong EsrIss { get; init; }
    public ulong FaultIpa { get; init; }
}
