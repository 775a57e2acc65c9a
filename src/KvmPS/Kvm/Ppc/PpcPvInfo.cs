namespace KvmPS.Kvm.Ppc;

/// <summary>
/// KVM_PPC_GET_PVINFO (api.txt 4.47): the four instructions a guest executes to make a KVM hypercall, which
/// userspace passes to the guest (device tree), and whether the ePAPR idle hypercall is available.
/// </summary>
public sealed record PpcPvInfo(int VmId, uint Flags, IReadOnlyList<uint> HypercallInstructions)
{
    /// <summary>KVM_PPC_PVINFO_FLAGS_EV_IDLE.</summary>
    public const uint EvIdleFlag = 1;

    public bool IdleHypercall => (Flags & EvIdleFlag) != 0;

    public IReadOnlyList<string> HypercallInstructionsHex => HypercallInstructions.Select(i => $"0x{i:X8}").ToArray();
}
