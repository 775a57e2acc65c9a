using System.Collections.Concurrent;

namespace KvmPS.Devices;

/// <summary>
/// An 8250/16550 UART at 8 consecutive ports (COM1: 0x3f8, IRQ 4). The transmitter is always empty (LSR THRE|TEMT),
/// so a guest that polls LSR never waits; bytes written to THR go to <see cref="Output"/>. Injected input is read
/// from RBR, with LSR.DR set while any is queued. With an in-kernel irqchip the IRQ line follows IIR.
/// </summary>
public sealed class Uart16550 : IPortDevice, IDisposable
{
    public const ushort Com1 = 0x3f8;
    public const uint Com1Irq = 4;

    // Register offsets; DLL/DLM overlay RBR/THR and IER while LCR.DLAB (bit 7) is set.
    private const int Data = 0, InterruptEnable = 1, InterruptId = 2, LineControl = 3, ModemControl = 4, LineStatus = 5, ModemStatus = 6, Scratch = 7;
    private const byte Dlab = 0x80;
    private const byte IerReceivedData = 0x01, IerTransmitterEmpty = 0x02;
    private const byte LsrDataReady = 0x01, LsrTransmitterEmpty = 0x20 | 0x40;   // THRE | TEMT
    private const byte IirNone = 0x01, IirTransmitterEmpty = 0x02, IirReceivedData = 0x04;

    private readonly object _gate = new();
    private readonly IDeviceHost _host;
    private readonly ConcurrentQueue<byte> _input = new();
    private byte _ier, _lcr, _mcr, _scr, _dll = 0x0c, _dlm;
    private bool _transmitterInterrupt;
    private bool _irqLevel;

    public Uart16550(IDeviceHost host, ushort port = Com1, uint irq = Com1Irq, string? path = null)
    {
        if (port > ushort.MaxValue - 7)
        {
            throw Interop.KvmPSException.InvalidArgument("InvalidPort", $"A UART takes 8 ports; 0x{port:x} leaves too few below 0x10000.");
        }
        _host = host;
        BasePort = port;
        Irq = irq;
        Ports = [new PortRange(port, 8)];
        Output = new SerialOutput(path);
    }

    public string Name => $"uart16550@0x{BasePort:x}";
    public ushort BasePort { get; }
    public uint Irq { get; }
    public IReadOnlyList<PortRange> Ports { get; }

    /// <summary>What the guest transmitted.</summary>
    public SerialOutput Output { get; }

    /// <summary>Queues bytes for the guest to receive.</summary>
    public void Inject(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            foreach (byte b in bytes)
            {
                _input.Enqueue(b);
            }
            UpdateIrq();
        }
    }

    public uint Read(ushort port, int size)
    {
        lock (_gate)
        {
            bool dlab = (_lcr & Dlab) != 0;
            uint value = (port - BasePort) switch
            {
                Data when dlab => _dll,
                Data => _input.TryDequeue(out byte b) ? b : 0u,
                InterruptEnable when dlab => _dlm,
                InterruptEnable => _ier,
                InterruptId => ReadInterruptId(),
                LineControl => _lcr,
                ModemControl => _mcr,
                LineStatus => (uint)(LsrTransmitterEmpty | (_input.IsEmpty ? 0 : LsrDataReady)),
                ModemStatus => 0xb0,   // DCD, DSR, CTS: a cable is connected
                Scratch => _scr,
                _ => 0xff,
            };
            UpdateIrq();
            return value;
        }
    }

    public void Write(ushort port, int size, uint value)
    {
        byte b = (byte)value;
        lock (_gate)
        {
            bool dlab = (_lcr & Dlab) != 0;
            switch (port - BasePort)
            {
                case Data when dlab: _dll = b; break;
                case Data:
                    Output.Append(b);
                    _transmitterInterrupt = true;   // the byte left at once: THR is empty again
                    break;
                case InterruptEnable when dlab: _dlm = b; break;
                case InterruptEnable:
                    _transmitterInterrupt |= (b & IerTransmitterEmpty) != 0 && (_ier & IerTransmitterEmpty) == 0;
                    _ier = (byte)(b & 0x0f);
                    break;
                case LineControl: _lcr = b; break;
                case ModemControl: _mcr = (byte)(b & 0x1f); break;
                case Scratch: _scr = b; break;
                default: break;   // FCR and the read-only LSR/MSR
            }
            UpdateIrq();
        }
    }

    /// <summary>IIR: received data outranks an empty transmitter; reading IIR that reports THRE clears it (16550 data sheet).</summary>
    private uint ReadInterruptId()
    {
        uint id = PendingInterrupt();
        if (id == IirTransmitterEmpty)
        {
            _transmitterInterrupt = false;
        }
        return id;
    }

    private uint PendingInterrupt() =>
        (_ier & IerReceivedData) != 0 && !_input.IsEmpty ? IirReceivedData
        : (_ier & IerTransmitterEmpty) != 0 && _transmitterInterrupt ? IirTransmitterEmpty
        : IirNone;

    private void UpdateIrq()
    {
        bool level = PendingInterrupt() != IirNone;
        if (level != _irqLevel && _host.HasIrqchip)
        {
            _irqLevel = level;
            _host.SetIrqLine(Irq, level);
        }
    }

    public void Dispose() => Output.Dispose();
}
