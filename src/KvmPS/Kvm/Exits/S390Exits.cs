namespace KvmPS.Kvm.Exits;

/// <summary>KVM_EXIT_S390_RESET: the guest asked for a reset; the KVM_S390_RESET_* flags say which.</summary>
public sealed class S390ResetExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong Flags { get; init; }
}

/// <summary>KVM_EXIT_S390_STSI (KVM_CAP_S390_USER_STSI): STORE SYSTEM INFORMATION, for userspace to fill in.</summary>
public sealed class S390StsiExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong Address { get; init; }
    public byte AccessRegister { get; init; }
    public byte FunctionCode { get; init; }
    public byte Selector1 { get; init; }
    public ushort Selector2 { get; init; }
}

/// <summary>KVM_EXIT_S390_TSCH (KVM_CAP_S390_CSS_SUPPORT): TEST SUBCHANNEL, with the I/O interrupt it dequeued if any.</summary>
public sealed class S390TschExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ushort SubchannelId { get; init; }
    public ushort SubchannelNumber { get; init; }
    public uint IoInterruptionParameter { get; init; }
    public uint IoInterruptionWord { get; init; }
    public uint Ipb { get; init; }
    public bool Dequeued { get; init; }
}
