using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.Ppc;

/// <summary>
/// An in-kernel sPAPR TCE table (api.txt 4.62, 4.98): the kernel handles H_PUT_TCE for its LIOBN in real mode and
/// userspace reads and writes the same entries through the mapping of the table's descriptor. It lives as long as
/// its VM unless removed first.
/// </summary>
public sealed class SpaprTceTable : IDisposable
{
    private const int EntrySize = sizeof(ulong);
    private readonly MemoryMapping _entries;
    private readonly object _linkGate = new();
    private readonly List<int> _vfioGroups = [];
    private bool _disposed;

    private SpaprTceTable(KvmVm vm, SpaprTceWindow window, bool created64, SpaprTceHandle handle, MemoryMapping entries)
    {
        Vm = vm;
        Window = window;
        CreatedWith64BitIoctl = created64;
        Handle = handle;
        _entries = entries;
    }

    public KvmVm Vm { get; }
    public int VmId => Vm.Id;
    public SpaprTceWindow Window { get; }
    public ulong Liobn => Window.Liobn;
    public int PageShift => Window.PageShift;
    public ulong Offset => Window.Offset;
    public ulong BusOffset => Window.BusOffset;
    public ulong WindowSize => Window.WindowSize;
    public ulong EntryCount => Window.EntryCount;

    /// <summary>True when KVM_CREATE_SPAPR_TCE_64 made the table, false for the 32-bit KVM_CREATE_SPAPR_TCE.</summary>
    public bool CreatedWith64BitIoctl { get; }

    /// <summary>The table descriptor, e.g. for KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE.</summary>
    internal SpaprTceHandle Handle { get; }

    /// <summary>Bytes mapped: one 8-byte entry per IOMMU page, rounded up to the host page size.</summary>
    public ulong MappedLength => _entries.Length;

    public bool IsRemoved => _disposed;

    /// <summary>The VFIO groups linked to the table with KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE (Set-KvmVfioSpaprTce).</summary>
    public IReadOnlyList<int> LinkedVfioGroupIds { get { lock (_linkGate) { return _vfioGroups.Distinct().ToArray(); } } }

    /// <summary>
    /// True while a VFIO group is linked. Then the mapping is KVM's copy only: kvmppc_tce_put writes it, but the hardware
    /// IOMMU the device uses is programmed by the guest's H_PUT_TCE (kvmppc_tce_iommu_map) or by VFIO_IOMMU_MAP_DMA, so
    /// entries written here would silently disagree with what the device does. KvmPS refuses such writes.
    /// </summary>
    public bool IsLinkedToVfio { get { lock (_linkGate) { return _vfioGroups.Count > 0; } } }

    internal void AddVfioLink(int groupId)
    {
        lock (_linkGate)
        {
            if (!_vfioGroups.Contains(groupId))
            {
                _vfioGroups.Add(groupId);
            }
        }
    }

    internal void RemoveVfioLink(int groupId)
    {
        lock (_linkGate)
        {
            _vfioGroups.Remove(groupId);
        }
    }

    private void RequireNotLinked(string what)
    {
        IReadOnlyList<int> groups = LinkedVfioGroupIds;
        if (groups.Count > 0)
        {
            throw KvmPSException.InvalidOperation("TceTableLinkedToVfio",
                $"Cannot {what}: the TCE table of LIOBN 0x{Liobn:X} is linked to VFIO group{(groups.Count == 1 ? "" : "s")} {string.Join(", ", groups)} " +
                "(KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE). Writing its mapping changes only KVM's copy (kvmppc_tce_put), not the hardware IOMMU the " +
                "device uses. Map memory for the device with VFIO_IOMMU_MAP_DMA or let the guest's H_PUT_TCE do it; " +
                "to write the table directly, remove the group from the VM's KVM-VFIO device first.");
        }
    }

    /// <summary>A table for a window of <paramref name="windowSize"/> bytes of 4 KiB pages at bus offset 0.</summary>
    public static SpaprTceTable Create(KvmVm vm, ulong liobn, ulong windowSize)
    {
        bool has64 = RequireSupport(vm);
        return Create(vm, SpaprTceWindow.FromWindowSize(liobn, windowSize), has64);
    }

    /// <summary>A table for <paramref name="size"/> IOMMU pages of 2^<paramref name="pageShift"/> bytes from page <paramref name="offset"/> of the bus.</summary>
    public static SpaprTceTable Create(KvmVm vm, ulong liobn, int pageShift, ulong offset, ulong size)
    {
        bool has64 = RequireSupport(vm);
        return Create(vm, SpaprTceWindow.FromPages(liobn, pageShift, offset, size), has64);
    }

    /// <summary>Capability checks: either form will do; returns whether the 64-bit one is available.</summary>
    private static bool RequireSupport(KvmVm vm)
    {
        bool has64 = vm.CheckExtension(KvmCapability.SpaprTce64) > 0;
        if (!has64)
        {
            vm.RequireCapability(KvmCapability.SpaprTce, "in-kernel sPAPR TCE tables");
        }
        return has64;
    }

    /// <summary>Prefers KVM_CREATE_SPAPR_TCE_64 and falls back to the 32-bit form where it can express the window, as QEMU does.</summary>
    private static SpaprTceTable Create(KvmVm vm, SpaprTceWindow window, bool has64)
    {
        if (!has64 && !window.FitsLegacyForm)
        {
            throw KvmPSException.NotSupportedByHost(
                $"the TCE window {window} (KVM_CREATE_SPAPR_TCE only takes 4 KiB pages at bus offset 0 and windows below 4 GiB)",
                KvmNames.KernelName(KvmCapability.SpaprTce64), vm.Kernel.Architecture);
        }
        ulong mappedLength = Alignment.RoundUp(window.EntryCount * EntrySize, (ulong)vm.Kernel.PageSize);
        Func<int, string?> hint = errno => CreateHint(vm, window, mappedLength, errno);
        long fd;
        if (has64)
        {
            var request = new KvmCreateSpaprTce64 { Liobn = window.Liobn, PageShift = (uint)window.PageShift, Offset = window.Offset, Size = window.Size };
            fd = vm.Descriptor.Ioctl(PpcIoctls.CreateSpaprTce64, ref request, hint);
        }
        else
        {
            var request = new KvmCreateSpaprTce { Liobn = window.Liobn, WindowSize = (uint)window.WindowSize };
            fd = vm.Descriptor.Ioctl(PpcIoctls.CreateSpaprTce, ref request, hint);
        }
        var handle = FileDescriptorHandle.Adopt<SpaprTceHandle>(vm.Kernel, (int)fd);
        MemoryMapping entries;
        try
        {
            entries = MemoryMapping.OfDescriptor(handle, "mmap(TCE table)", mappedLength, LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        var table = new SpaprTceTable(vm, window, has64, handle, entries);
        try
        {
            vm.AddDependent(table);
        }
        catch
        {
            table.Release();
            throw;
        }
        return table;
    }

    private static string? CreateHint(KvmVm vm, SpaprTceWindow window, ulong mappedLength, int errno) => errno switch
    {
        Errno.EBUSY => $"VM {vm.Id} already has a TCE table for LIOBN 0x{window.Liobn:X}.",
        Errno.EINVAL => "The kernel rejected the window: the page shift must be 12..34, the size non-zero, offset + size below 2^64 >> page shift, and flags 0.",
        Errno.ENOMEM => $"The kernel charges the table's {mappedLength / (ulong)vm.Kernel.PageSize} pages (plus its bookkeeping) to the locked-memory limit; " +
            "raise RLIMIT_MEMLOCK (ulimit -l, or LimitMEMLOCK= for a service), run with CAP_IPC_LOCK, or use a smaller window.",
        _ => null,
    };

    /// <summary>The entry index of an I/O bus address: (ioba >> page shift) - offset, for addresses inside the window only.</summary>
    public ulong IndexOf(ulong ioBusAddress)
    {
        ulong page = ioBusAddress >> PageShift;
        if (page < Offset || page - Offset >= EntryCount)
        {
            throw KvmPSException.InvalidArgument("IoBusAddressOutsideWindow",
                $"I/O bus address 0x{ioBusAddress:X} is outside the window of LIOBN 0x{Liobn:X} (0x{BusOffset:X}-0x{BusOffset + WindowSize - 1:X}).");
        }
        return page - Offset;
    }

    public ulong IoBusAddressOf(ulong index) => (Offset + CheckIndex(index)) << PageShift;

    public TceEntry GetEntry(ulong index) => new(VmId, Liobn, index, IoBusAddressOf(index), Volatile.Read(ref Slot(index)));

    public TceEntry GetEntryAt(ulong ioBusAddress) => GetEntry(IndexOf(ioBusAddress));

    /// <summary>Every entry whose value is not zero, in index order.</summary>
    public IEnumerable<TceEntry> GetNonZeroEntries()
    {
        for (ulong index = 0; index < EntryCount; index++)
        {
            ulong value = Volatile.Read(ref Slot(index));
            if (value != 0)
            {
                yield return new TceEntry(VmId, Liobn, index, IoBusAddressOf(index), value);
            }
        }
    }

    /// <summary>Writes a raw entry value, as the kernel's H_PUT_TCE would (any value, including poison, is allowed).</summary>
    public TceEntry SetEntry(ulong index, ulong value)
    {
        RequireNotLinked($"write entry {index}");
        Volatile.Write(ref Slot(index), value);
        return GetEntry(index);
    }

    /// <summary>Maps an entry to a guest real address, which must be aligned to the table's IOMMU page as the kernel requires.</summary>
    public TceEntry SetEntry(ulong index, ulong realAddress, bool read, bool write)
    {
        if (realAddress % Window.PageSize != 0)
        {
            throw KvmPSException.InvalidArgument("TceAddressNotAligned",
                $"Real address 0x{realAddress:X} is not aligned to the 2^{PageShift}-byte IOMMU page of LIOBN 0x{Liobn:X}.");
        }
        return SetEntry(index, TceEntry.Encode(realAddress, read, write));
    }

    /// <summary>Zeroes every entry: no translations (a table reset).</summary>
    public void Clear()
    {
        RequireNotLinked("clear the table");
        for (ulong index = 0; index < EntryCount; index++)
        {
            Volatile.Write(ref Slot(index), 0UL);
        }
    }

    public ulong[] ReadAll()
    {
        var values = new ulong[EntryCount];
        for (ulong index = 0; index < EntryCount; index++)
        {
            values[index] = Volatile.Read(ref Slot(index));
        }
        return values;
    }

    public void WriteAll(ReadOnlySpan<ulong> values)
    {
        if ((ulong)values.Length != EntryCount)
        {
            throw new ArgumentException($"LIOBN 0x{Liobn:X} has {EntryCount} entries; got {values.Length} values.", nameof(values));
        }
        RequireNotLinked("write the table");
        for (int index = 0; index < values.Length; index++)
        {
            Volatile.Write(ref Slot((ulong)index), values[index]);
        }
    }

    /// <summary>Saves every entry to <paramref name="path"/> in the self-describing format of <see cref="SpaprTceTableFile"/>.</summary>
    public void Export(string path) => SpaprTceTableFile.Write(path, Window, ReadAll());

    /// <summary>Restores every entry from an exported file made for a table with the same LIOBN, page shift, offset and size.</summary>
    public void Import(string path)
    {
        RequireNotLinked($"import '{path}'");
        WriteAll(SpaprTceTableFile.Read(path, Window));
    }

    private ulong CheckIndex(ulong index)
    {
        if (_disposed)
        {
            throw KvmPSException.InvalidOperation("TceTableRemoved", $"The TCE table of LIOBN 0x{Liobn:X} in VM {VmId} has been removed.");
        }
        if (index >= EntryCount)
        {
            throw KvmPSException.InvalidArgument("TceIndexOutOfRange",
                $"Entry {index} is outside the table of LIOBN 0x{Liobn:X}, which has entries 0..{EntryCount - 1}.");
        }
        return index;
    }

    private ref ulong Slot(ulong index) => ref _entries.At<ulong>(CheckIndex(index) * EntrySize);

    private void Release()
    {
        _disposed = true;
        _entries.Dispose();
        Handle.Dispose();
    }

    /// <summary>Unmaps and closes the table; the kernel frees it and the LIOBN becomes free.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        Vm.RemoveDependent(this);
        Release();
    }

    public override string ToString() => $"TCE table of VM {VmId}, {Window}";
}
