using KvmPS.Interop;

namespace KvmPS.Devices;

/// <summary>
/// The VM's port I/O bus: a two-level table from port to device (256 pages of 256 ports, untouched pages shared), so
/// dispatching an exit is two array loads, no lock and no allocation. Registration replaces the table copy-on-write,
/// copying only the 2 KiB page directory and the pages it changes. Also counts accesses that reach no
/// device, and MMIO accesses (no MMIO devices exist yet: reads return all ones, writes are dropped).
/// </summary>
public sealed class PortBus
{
    private readonly object _gate = new();
    private Entry[] _entries = [null!];   // index 0: no device
    private static readonly byte[] s_emptyPage = new byte[PageSize];
    private const int PageSize = 256;
    private byte[][] _pages = Enumerable.Repeat(s_emptyPage, PageSize).ToArray();
    private long _unhandledPortReads;
    private long _unhandledPortWrites;
    private long _unhandledMmioReads;
    private long _unhandledMmioWrites;

    /// <summary>Adds a device; fails when one of its ports already belongs to another device.</summary>
    public void Register(IPortDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (_gate)
        {
            if (_entries.Length > byte.MaxValue)
            {
                throw KvmPSException.InvalidOperation("TooManyDevices", $"A VM's port bus takes at most {byte.MaxValue} devices.");
            }
            foreach (PortRange range in device.Ports)
            {
                for (int port = range.First; port < range.End; port++)
                {
                    if (SlotOf(_pages, port) is var owner and not 0)
                    {
                        throw new KvmPSException("PortInUse", ErrorKind.ResourceExists,
                            $"Port 0x{port:x} of {device.Name} already belongs to {_entries[owner].Device.Name}; choose another port.");
                    }
                }
            }
            byte[][] pages = (byte[][])_pages.Clone();
            var copied = new HashSet<int>();
            byte slot = (byte)_entries.Length;
            foreach (PortRange range in device.Ports)
            {
                for (int port = range.First; port < range.End; port++)
                {
                    int page = port / PageSize;
                    if (copied.Add(page))
                    {
                        pages[page] = (byte[])pages[page].Clone();
                    }
                    pages[page][port % PageSize] = slot;
                }
            }
            _entries = [.. _entries, new Entry(device)];
            _pages = pages;
        }
    }

    /// <summary>True when <paramref name="port"/> belongs to a device.</summary>
    public bool IsClaimed(ushort port) => SlotOf(Volatile.Read(ref _pages), port) != 0;

    private static byte SlotOf(byte[][] pages, int port) => pages[port >> 8][port & 0xFF];

    public IReadOnlyList<IPortDevice> Devices => Volatile.Read(ref _entries).Skip(1).Select(e => e.Device).ToArray();

    /// <summary>A guest read: the device's value, or all ones when no device has the port.</summary>
    public uint Read(ushort port, int size)
    {
        Entry[] entries = Volatile.Read(ref _entries);
        byte slot = SlotOf(Volatile.Read(ref _pages), port);
        if (slot == 0 || slot >= entries.Length)
        {
            Interlocked.Increment(ref _unhandledPortReads);
            return PortValue.AllOnes(size);
        }
        Entry entry = entries[slot];
        Interlocked.Increment(ref entry.Reads);
        return entry.Device.Read(port, size) & PortValue.AllOnes(size);
    }

    /// <summary>A guest write: to the device, or dropped and counted when no device has the port.</summary>
    public void Write(ushort port, int size, uint value)
    {
        Entry[] entries = Volatile.Read(ref _entries);
        byte slot = SlotOf(Volatile.Read(ref _pages), port);
        if (slot == 0 || slot >= entries.Length)
        {
            Interlocked.Increment(ref _unhandledPortWrites);
            return;
        }
        Entry entry = entries[slot];
        Interlocked.Increment(ref entry.Writes);
        entry.Device.Write(port, size, value & PortValue.AllOnes(size));
    }

    /// <summary>A guest MMIO read that no memory region backs: all ones (no MMIO device models exist yet).</summary>
    public ulong ReadMmio(ulong address, int size)
    {
        Interlocked.Increment(ref _unhandledMmioReads);
        return size >= 8 ? ulong.MaxValue : (1ul << (size * 8)) - 1;
    }

    public void WriteMmio(ulong address, int size, ulong value) => Interlocked.Increment(ref _unhandledMmioWrites);

    public long UnhandledPortReads => Interlocked.Read(ref _unhandledPortReads);
    public long UnhandledPortWrites => Interlocked.Read(ref _unhandledPortWrites);
    public long UnhandledMmioReads => Interlocked.Read(ref _unhandledMmioReads);
    public long UnhandledMmioWrites => Interlocked.Read(ref _unhandledMmioWrites);

    /// <summary>Each device's access counts, at this moment.</summary>
    public IReadOnlyList<DeviceStatistics> Statistics(int vmId) => Volatile.Read(ref _entries).Skip(1)
        .Select(e => new DeviceStatistics(vmId, e.Device.Name, string.Join(",", e.Device.Ports), Interlocked.Read(ref e.Reads), Interlocked.Read(ref e.Writes)))
        .ToArray();

    private sealed class Entry(IPortDevice device)
    {
        public readonly IPortDevice Device = device;
        public long Reads;
        public long Writes;
    }
}

/// <summary>How often the guest read and wrote one device's ports.</summary>
public sealed record DeviceStatistics(int VmId, string Name, string Ports, long Reads, long Writes);
