namespace KvmPS.Devices;

/// <summary>
/// A device model behind the VM's port bus. The bus calls it on the vCPU thread that exited, so a device that
/// more than one vCPU can reach guards its own state. <paramref name="size"/> is 1, 2 or 4 bytes; values are
/// little-endian in the low bytes.
/// </summary>
public interface IPortDevice
{
    /// <summary>A short name for statistics and errors ("uart16550@0x3f8").</summary>
    string Name { get; }

    /// <summary>The port ranges the device claims; the bus refuses a device whose ranges overlap another's.</summary>
    IReadOnlyList<PortRange> Ports { get; }

    uint Read(ushort port, int size);

    void Write(ushort port, int size, uint value);
}

/// <summary><see cref="Count"/> consecutive ports from <see cref="First"/>.</summary>
public readonly record struct PortRange(ushort First, ushort Count)
{
    public int End => First + Count;

    public bool Contains(ushort port) => port >= First && port < End;

    public override string ToString() => Count == 1 ? $"0x{First:x}" : $"0x{First:x}-0x{End - 1:x}";
}
