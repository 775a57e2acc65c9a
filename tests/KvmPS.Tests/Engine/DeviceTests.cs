using System.Text;
using KvmPS.Devices;
using KvmPS.Interop;

namespace KvmPS.Tests.Engine;

/// <summary>The device models and the bus without KVM, through a recording host.</summary>
public sealed class DeviceTests
{
    private sealed class RecordingHost : IDeviceHost
    {
        public bool HasIrqchip { get; set; } = true;
        public List<(uint Gsi, bool Level)> IrqLines { get; } = [];
        public List<uint?> Stops { get; } = [];
        public ulong MemorySize { get; set; } = 0x1234_5000;
        public int VcpuCount { get; set; } = 3;
        public void SetIrqLine(uint gsi, bool level) => IrqLines.Add((gsi, level));
        public void RequestStop(uint? exitStatus) => Stops.Add(exitStatus);
    }

    private readonly RecordingHost _host = new();

    private static byte[] ReadItem(PortBus bus, ushort key, int length)
    {
        bus.Write(FwCfg.SelectorPort, 2, key);
        return Enumerable.Range(0, length).Select(_ => (byte)bus.Read(FwCfg.DataPort, 1)).ToArray();
    }

    [Fact]
    public void FwCfgServesSignatureIdRamCpusAndZerosForUnknownKeys()
    {
        var bus = new PortBus();
        bus.Register(new FwCfg(_host));
        Assert.Equal("QEMU", Encoding.ASCII.GetString(ReadItem(bus, FwCfg.Signature, 4)));
        Assert.Equal(new byte[] { 1, 0, 0, 0 }, ReadItem(bus, FwCfg.Id, 4));
        Assert.Equal(0x1234_5000ul, BitConverter.ToUInt64(ReadItem(bus, FwCfg.RamSize, 8)));
        Assert.Equal(0x1234_5000ul, BitConverter.ToUInt64(ReadItem(bus, FwCfg.MaxRamSize, 8)));
        Assert.Equal((ushort)3, BitConverter.ToUInt16(ReadItem(bus, FwCfg.NumberOfCpus, 2)));
        Assert.Equal(new byte[6], ReadItem(bus, 0x4242, 6));
        Assert.Equal(new byte[] { (byte)'Q', (byte)'E', (byte)'M', (byte)'U', 0, 0 }, ReadItem(bus, FwCfg.Signature, 6));
    }

    [Fact]
    public void FwCfgSelectorWriteRewindsTheItem()
    {
        var bus = new PortBus();
        bus.Register(new FwCfg(_host));
        Assert.Equal((byte)'Q', ReadItem(bus, FwCfg.Signature, 2)[0]);
        Assert.Equal((byte)'Q', ReadItem(bus, FwCfg.Signature, 1)[0]);
    }

    [Fact]
    public void TestDeviceScratchReadsBackByteWordAndDwordAccesses()
    {
        var bus = new PortBus();
        bus.Register(new TestDevice(_host));
        bus.Write(0xe0, 4, 0xdeadbeef);
        Assert.Equal(0xdeadbeefu, bus.Read(0xe0, 4));
        Assert.Equal(0xbeefu, bus.Read(0xe0, 2));
        Assert.Equal(0xefu, bus.Read(0xe0, 1));
        Assert.Equal(0xadu, bus.Read(0xe2, 1));
        bus.Write(0xe1, 1, 0x12);
        Assert.Equal(0xdead12efu, bus.Read(0xe0, 4));
        bus.Write(0xe0, 2, 0x3456);
        Assert.Equal(0xdead3456u, bus.Read(0xe0, 4));
    }

    [Fact]
    public void TestDeviceIrqPortsSetTheGsiLevel()
    {
        var bus = new PortBus();
        bus.Register(new TestDevice(_host));
        bus.Write(0x2000 + 5, 1, 1);
        bus.Write(0x2000 + 23, 4, 0);
        Assert.Equal([(5u, true), (23u, false)], _host.IrqLines);
        Assert.False(bus.IsClaimed(0x2000 + 24));
    }

    [Fact]
    public void ShutdownPortStopsOnTheWholeWordOnly()
    {
        var device = new ShutdownPort(_host);
        foreach (char c in "ShutShutdow")
        {
            device.Write(ShutdownPort.Port, 1, c);
        }
        Assert.Empty(_host.Stops);
        device.Write(ShutdownPort.Port, 1, 'n');
        Assert.Equal([(uint?)null], _host.Stops);
    }

    [Fact]
    public void DebugExitStopsWithTheShiftedStatus()
    {
        var bus = new PortBus();
        bus.Register(new DebugExit(_host, 0x501, 2));
        bus.Write(0x501, 2, 3);
        bus.Write(0x502, 1, 0x10);
        Assert.Equal([7u, 0x21u], _host.Stops);
        Assert.Equal("InvalidWidth", Assert.Throws<KvmPSException>(() => new DebugExit(_host, 0xf4, 3)).ErrorId);
    }

    [Fact]
    public void UartTransmitsReceivesAndReportsLineStatus()
    {
        using var uart = new Uart16550(_host);
        Assert.Equal(0x60u, uart.Read(0x3fd, 1));
        uart.Write(0x3f8, 1, 'h');
        uart.Write(0x3f8, 1, 'i');
        Assert.Equal("hi", uart.Output.Take());
        uart.Inject("x"u8);
        Assert.Equal(0x61u, uart.Read(0x3fd, 1));
        Assert.Equal((uint)'x', uart.Read(0x3f8, 1));
        Assert.Equal(0x60u, uart.Read(0x3fd, 1));
        uart.Write(0x3ff, 1, 0x5a);
        Assert.Equal(0x5au, uart.Read(0x3ff, 1));
    }

    [Fact]
    public void UartDivisorLatchOverlaysDataAndInterruptEnable()
    {
        using var uart = new Uart16550(_host);
        uart.Write(0x3fb, 1, 0x83);   // DLAB, 8N1
        uart.Write(0x3f8, 1, 0x01);
        uart.Write(0x3f9, 1, 0x02);
        Assert.Equal(0x01u, uart.Read(0x3f8, 1));
        Assert.Equal(0x02u, uart.Read(0x3f9, 1));
        Assert.Equal("", uart.Output.All);
        uart.Write(0x3fb, 1, 0x03);
        Assert.Equal(0u, uart.Read(0x3f9, 1));
    }

    [Fact]
    public void UartRaisesItsIrqForEnabledInterruptsOnly()
    {
        using var uart = new Uart16550(_host, irq: 4);
        uart.Inject("a"u8);
        Assert.Empty(_host.IrqLines);
        uart.Write(0x3f9, 1, 0x01);   // IER: received data
        Assert.Equal([(4u, true)], _host.IrqLines);
        Assert.Equal(0x04u, uart.Read(0x3fa, 1));
        uart.Read(0x3f8, 1);
        Assert.Equal([(4u, true), (4u, false)], _host.IrqLines);
        Assert.Equal(0x01u, uart.Read(0x3fa, 1));
        uart.Write(0x3f9, 1, 0x02);   // IER: transmitter empty, which it is
        Assert.Equal(0x02u, uart.Read(0x3fa, 1));
        Assert.Equal((4u, false), _host.IrqLines[^1]);
    }

    [Fact]
    public void UartWithoutIrqchipNeverTouchesTheIrqLine()
    {
        _host.HasIrqchip = false;
        using var uart = new Uart16550(_host);
        uart.Write(0x3f9, 1, 0x03);
        uart.Inject("a"u8);
        Assert.Empty(_host.IrqLines);
    }

    [Fact]
    public void SerialOutputHandsOutLinesIncrementallyAndWakesWaiters()
    {
        using var output = new SerialOutput();
        foreach (byte b in "one\r\ntwo\nthr"u8)
        {
            output.Append(b);
        }
        Assert.Equal(["one", "two"], output.TakeLines(includePartial: false));
        long seen = output.Version;
        Assert.False(output.WaitForMore(seen, TimeSpan.FromMilliseconds(10)));
        var writer = new Thread(() => { Thread.Sleep(50); output.Append((byte)'\n'); });
        writer.Start();
        Assert.True(output.WaitForMore(seen, TimeSpan.FromSeconds(5)));
        writer.Join();
        Assert.Equal(["thr"], output.TakeLines(includePartial: false));
        Assert.Equal("one\r\ntwo\nthr\n", output.All);
    }

    [Fact]
    public void SerialOutputAlsoAppendsToAFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            using (var output = new SerialOutput(path))
            {
                foreach (byte b in "logged\n"u8)
                {
                    output.Append(b);
                }
            }
            Assert.Equal("logged\n", File.ReadAllText(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BusReadsAllOnesFromFreePortsAndCountsPerDevice()
    {
        var bus = new PortBus();
        bus.Register(new LegacyPorts());
        Assert.Equal(0xffu, bus.Read(0x99, 1));
        Assert.Equal(0xffffu, bus.Read(0x99, 2));
        Assert.Equal(0xffffffffu, bus.Read(0x99, 4));
        bus.Write(0x99, 1, 0);
        bus.Write(0x80, 1, 0x12);
        bus.Write(0x43, 1, 0x34);
        Assert.Equal(0u, bus.Read(0x61, 1));
        Assert.Equal(3, bus.UnhandledPortReads);
        Assert.Equal(1, bus.UnhandledPortWrites);
        DeviceStatistics legacy = Assert.Single(bus.Statistics(1));
        Assert.Equal((1L, 2L), (legacy.Reads, legacy.Writes));
        Assert.Equal(0xfful, bus.ReadMmio(0xd000_0000, 1));
        bus.WriteMmio(0xd000_0000, 4, 1);
        Assert.Equal((1L, 1L), (bus.UnhandledMmioReads, bus.UnhandledMmioWrites));
    }

    [Fact]
    public void BusRefusesOverlappingDevices()
    {
        var bus = new PortBus();
        bus.Register(new Uart16550(_host));
        var error = Assert.Throws<KvmPSException>(() => bus.Register(new DebugExit(_host, 0x3ff, 1)));
        Assert.Equal("PortInUse", error.ErrorId);
        Assert.False(bus.IsClaimed(0x400));
    }
}
