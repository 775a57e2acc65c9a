namespace KvmPS.Kvm.Exits;

/// <summary>KVM_EXIT_DCR (deprecated; 44x powerpc): a device control register access.</summary>
public sealed class DcrExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public uint Dcrn { get; init; }
    public uint Data { get; init; }
    public bool IsWrite { get; init; }
}

/// <summary>KVM_EXIT_EPR (booke powerpc, KVM_CAP_PPC_EPR): the guest acknowledged an interrupt and wants its vector.</summary>
public sealed class EprExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public uint Epr { get; init; }
}
