using KvmPS.Interop;

namespace KvmPS.Devices;

/// <summary>
/// QEMU's isa-debug-exit: a guest write of v stops the VM with ExitStatus (v &lt;&lt; 1) | 1, so a test kernel can
/// report success or failure (QEMU exits with that status; a guest cannot make it 0).
/// </summary>
public sealed class DebugExit : IPortDevice
{
    public const ushort DefaultPort = 0xf4;
    public const int DefaultWidth = 4;

    private readonly IDeviceHost _host;

    public DebugExit(IDeviceHost host, ushort port = DefaultPort, int width = DefaultWidth)
    {
        if (width is not (1 or 2 or 4))
        {
            throw KvmPSException.InvalidArgument("InvalidWidth", $"The debug-exit port is 1, 2 or 4 bytes wide; got {width}.");
        }
        if (port + width > ushort.MaxValue + 1)
        {
            throw KvmPSException.InvalidArgument("InvalidPort", $"A {width}-byte debug-exit port at 0x{port:x} runs past port 0xffff.");
        }
        _host = host;
        Port = port;
        Width = width;
        Ports = [new PortRange(port, (ushort)width)];
    }

    public string Name => $"debug-exit@0x{Port:x}";
    public ushort Port { get; }
    public int Width { get; }
    public IReadOnlyList<PortRange> Ports { get; }

    public static uint ExitStatusOf(uint value) => (value << 1) | 1;

    public uint Read(ushort port, int size) => 0;

    public void Write(ushort port, int size, uint value) => _host.RequestStop(ExitStatusOf(value));
}
