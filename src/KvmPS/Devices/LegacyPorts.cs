namespace KvmPS.Devices;

/// <summary>
/// The PC ports a boot path touches without needing an answer: the 8259 PICs (0x20-0x21, 0xa0-0xa1), the 8254 PIT
/// (0x40-0x43), port B (0x61) and the POST/delay port 0x80. Writes are accepted and dropped, reads return 0. Only
/// reached without an in-kernel irqchip (which emulates the PIC and PIT itself).
/// </summary>
public sealed class LegacyPorts : IPortDevice
{
    public string Name => "legacy-pc";

    public IReadOnlyList<PortRange> Ports { get; } =
        [new PortRange(0x20, 2), new PortRange(0x40, 4), new PortRange(0x61, 1), new PortRange(0x80, 1), new PortRange(0xa0, 2)];

    public uint Read(ushort port, int size) => 0;

    public void Write(ushort port, int size, uint value)
    {
    }
}
