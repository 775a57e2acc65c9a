using KvmPS.Interop;

namespace KvmPS.Devices;

/// <summary>
/// The VM's port I/O bus: a 64 Ki-entry table from port to device, so dispatching an exit is one array index, no
/// lock and no allocation. Registration replaces the table copy-on-write. Also counts accesses that reach no
/// device, and MMIO accesses (no MMIO devices exist yet: reads return all ones, writes are dropped).
/// </summary>
public sealed class PortBus
{
    private readonly object _gate = new();
    private Entry[] _entries = [null!];   // index 0: no device
    private byte[] _index = new byte[ushort.MaxValue + 1];
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
                    if (_index[port] != 0)
                    {
                        throw new KvmPSException("PortInUse", ErrorKind.ResourceExists,
                            $"Port 0x{port:x} of {device.Name} already belongs to {_entries[_index[port]].Device.Name}; choose another port.");
                    }
                }
            }
            byte[] index = (byte[])_index.Clone();
            byte slot = (byte)_entries.Length;
            foreach (PortRange range in device.Ports)
            {
                index.AsSpan(range.First, range.Count).Fill(slot);
            }
            _entries = [.. _entries, new Entry(device)];
            _index = index;
        }
    }

    /// <summary>True when <paramref name="port"/> belongs to a device.</summary>
    public bool IsClaimed(ushort port) => Volatile.Read(ref _index)[port] != 0;

    public IReadOnlyList<IPortDevice> Devices => Volatile.Read(ref _entries).Skip(1).Select(e => e.Device).ToArray();

    /// <summary>A guest read: the device's value, or all ones when no device has the port.</summary>
    public uint Read(ushort port, int size)
    {
        Entry[] entries = Volatile.Read(ref _entries);
        byte slot = Volatile.Read(ref _index)[port];
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
        byte slot = Volatile.Read(ref _index)[port];
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
