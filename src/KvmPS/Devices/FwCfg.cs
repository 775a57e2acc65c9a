using System.Buffers.Binary;
using System.Text;

namespace KvmPS.Devices;

/// <summary>
/// QEMU's fw_cfg, legacy port interface (docs/specs/fw_cfg.rst in QEMU): a 16-bit selector write at 0x510 picks an
/// item and rewinds its offset; byte reads at 0x511 return the item's next byte, zeros past its end or for
/// unknown keys.
/// </summary>
public sealed class FwCfg : IPortDevice
{
    public const ushort SelectorPort = 0x510;
    public const ushort DataPort = 0x511;
    public const ushort Signature = 0x00, Id = 0x01, RamSize = 0x03, NumberOfCpus = 0x05, MaxRamSize = 0x11;

    private readonly object _gate = new();
    private readonly IDeviceHost _host;
    private byte[] _item = [];
    private int _offset;

    public FwCfg(IDeviceHost host) => _host = host;

    public string Name => "fw_cfg@0x510";
    public IReadOnlyList<PortRange> Ports { get; } = [new PortRange(SelectorPort, 2)];

    /// <summary>The bytes of an item as the guest reads them.</summary>
    public byte[] ItemFor(ushort key) => key switch
    {
        Signature => Encoding.ASCII.GetBytes("QEMU"),
        Id => Le32(1),   // bit 0: the traditional interface, no DMA
        RamSize or MaxRamSize => Le64(_host.MemorySize),
        NumberOfCpus => Le16((ushort)_host.VcpuCount),
        _ => [],
    };

    public uint Read(ushort port, int size)
    {
        if (port != DataPort)
        {
            return 0;
        }
        lock (_gate)
        {
            uint value = 0;
            for (int i = 0; i < size; i++)   // wider reads of the data port return consecutive bytes, as QEMU does
            {
                value |= (uint)(_offset < _item.Length ? _item[_offset] : 0) << (i * 8);
                _offset++;
            }
            return value;
        }
    }

    public void Write(ushort port, int size, uint value)
    {
        if (port != SelectorPort)
        {
            return;
        }
        byte[] item = ItemFor((ushort)value);
        lock (_gate)
        {
            _item = item;
            _offset = 0;
        }
    }

    private static byte[] Le16(ushort v) { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, v); return b; }
    private static byte[] Le32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(b, v); return b; }
    private static byte[] Le64(ulong v) { var b = new byte[8]; BinaryPrimitives.WriteUInt64LittleEndian(b, v); return b; }
}
