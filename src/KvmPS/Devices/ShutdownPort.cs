namespace KvmPS.Devices;

/// <summary>
/// Bochs/QEMU's shutdown port 0x8900: a guest that writes the bytes "Shutdown" there, one by one, stops the VM.
/// Any other byte restarts the match.
/// </summary>
public sealed class ShutdownPort : IPortDevice
{
    public const ushort Port = 0x8900;
    private const string Word = "Shutdown";

    private readonly IDeviceHost _host;
    private int _matched;

    public ShutdownPort(IDeviceHost host) => _host = host;

    public string Name => "shutdown@0x8900";
    public IReadOnlyList<PortRange> Ports { get; } = [new PortRange(Port, 1)];

    public uint Read(ushort port, int size) => 0;

    public void Write(ushort port, int size, uint value)
    {
        char c = (char)(byte)value;
        int matched = Interlocked.CompareExchange(ref _matched, 0, 0);
        matched = c == Word[matched] ? matched + 1 : c == Word[0] ? 1 : 0;
        if (matched == Word.Length)
        {
            matched = 0;
            _host.RequestStop(null);
        }
        Volatile.Write(ref _matched, matched);
    }
}
