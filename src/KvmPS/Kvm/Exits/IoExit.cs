using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm.Exits;

[JsonConverter(typeof(StringEnumConverter))]
public enum IoDirection : byte
{
    In = 0,
    Out = 1,
}

/// <summary>KVM_EXIT_IO: a port access. For Out, <see cref="Data"/> holds what the guest wrote (Size * Count bytes).</summary>
public sealed class IoExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ushort Port { get; init; }
    public IoDirection Direction { get; init; }
    public byte Size { get; init; }
    public uint Count { get; init; }
    public ulong DataOffset { get; init; }
    public byte[] Data { get; init; } = [];

    public override string ToString() => $"KVM_EXIT_IO {Direction} port 0x{Port:X} size {Size} count {Count}";
}
