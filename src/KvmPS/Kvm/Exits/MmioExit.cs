namespace KvmPS.Kvm.Exits;

/// <summary>KVM_EXIT_MMIO: an access to guest physical memory no slot backs. For writes, Data holds Length bytes.</summary>
public sealed class MmioExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong Address { get; init; }
    public uint Length { get; init; }
    public bool IsWrite { get; init; }
    public byte[] Data { get; init; } = [];

    public override string ToString() => $"KVM_EXIT_MMIO {(IsWrite ? "write" : "read")} 0x{Address:X} length {Length}";
}
