namespace KvmPS.Kvm.Exits;

/// <summary>Why KVM_RUN returned: kvm_run.exit_reason and, in subclasses, the decoded exit-union member.</summary>
public class VcpuExit
{
    public VcpuExit(int vmId, int vcpuId, uint rawReason)
    {
        VmId = vmId;
        VcpuId = vcpuId;
        RawReason = rawReason;
    }

    public int VmId { get; }
    public int VcpuId { get; }
    public uint RawReason { get; }
    public KvmExitReason Reason => (KvmExitReason)RawReason;
    public string KernelName => KvmNames.ExitName(RawReason);

    /// <summary>True when KVM_RUN was interrupted (EINTR, KVM_EXIT_INTR) rather than exiting for the guest.</summary>
    public bool Interrupted { get; init; }

    public override string ToString() => KernelName;
}
