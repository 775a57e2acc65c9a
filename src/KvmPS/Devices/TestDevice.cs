namespace KvmPS.Devices;

/// <summary>
/// Parts of QEMU's pc-testdev (what kvm-unit-tests use): a 32-bit scratch register at 0xe0 that reads back what was
/// written (byte, word or dword accesses at 0xe0-0xe3), and IRQ-line ports 0x2000+n (n 0..23), where a write of v
/// sets GSI n to level v != 0 through KVM_IRQ_LINE when the VM has an in-kernel irqchip.
/// </summary>
public sealed class TestDevice : IPortDevice
{
    public const ushort ScratchPort = 0xe0;
    public const ushort IrqLinePorts = 0x2000;
    public const int IrqLineCount = 24;

    private readonly IDeviceHost _host;
    private uint _scratch;

    public TestDevice(IDeviceHost host) => _host = host;

    public string Name => "testdev";
    public IReadOnlyList<PortRange> Ports { get; } = [new PortRange(ScratchPort, 4), new PortRange(IrqLinePorts, IrqLineCount)];

    public uint Scratch => Volatile.Read(ref _scratch);

    public uint Read(ushort port, int size) =>
        port < IrqLinePorts ? PortValue.Extract(Volatile.Read(ref _scratch), port - ScratchPort, size) : 0;

    public void Write(ushort port, int size, uint value)
    {
        if (port >= IrqLinePorts)
        {
            _host.SetIrqLine((uint)(port - IrqLinePorts), value != 0);
            return;
        }
        uint seen, merged;
        do
        {
            seen = Volatile.Read(ref _scratch);
            merged = PortValue.Merge(seen, port - ScratchPort, size, value);
        }
        while (Interlocked.CompareExchange(ref _scratch, merged, seen) != seen);
    }
}
