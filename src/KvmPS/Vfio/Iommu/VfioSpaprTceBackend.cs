using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Vfio.Iommu;

/// <summary>
/// What both sPAPR TCE models share (vfio_iommu_spapr_tce.c): DMA goes only through windows, each a TCE table over a
/// bus range, starting with the default 32-bit window that VFIO_SET_IOMMU leaves pending; KVM TCE tables link to them.
/// </summary>
internal abstract class VfioSpaprTceBackend(VfioContainer container, VfioIommuType type) : VfioIommuBackend(container, type)
{
    protected readonly List<VfioDmaWindow> _windows = [];

    public IReadOnlyList<VfioDmaWindow> Windows => _windows;

    /// <summary>sPAPR containers start with the default 32-bit window, recorded as pending (see <see cref="VfioDmaWindow.IsPending"/>).</summary>
    public override void Initialize()
    {
        VfioSpaprTceIommuInfo info = QueryInfo();
        _windows.Add(new VfioDmaWindow(Container, info.Dma32WindowStart, info.Dma32WindowSize, pageShift: 12, levels: 1, isDefault: true) { IsPending = true });
    }

    public override VfioIommuInfo GetInfo() => QueryInfo();

    /// <summary>VFIO_IOMMU_SPAPR_TCE_GET_INFO with argsz covering the ddw member, so DDW details come back when supported.</summary>
    public VfioSpaprTceIommuInfo QueryInfo()
    {
        var info = new VfioSpaprTceInfoArg { Argsz = Argsz<VfioSpaprTceInfoArg>() };
        Handle.Ioctl(VfioIoctls.SpaprTceGetInfo, ref info, errno => errno == Errno.ENXIO ? "The container has no group attached." : null);
        return new VfioSpaprTceIommuInfo(Id, Type, info.Flags, info.Dma32WindowStart, info.Dma32WindowSize,
            info.Ddw.Pgsizes, info.Ddw.MaxDynamicWindowsSupported, info.Ddw.Levels);
    }

    /// <summary>
    /// sPAPR checks the range against the window's IOMMU page, not PAGE_SIZE (tce_iommu_ioctl, MAP_DMA): 4 KiB maps into
    /// a 4 KiB window are valid on a 64 KiB host. So only emptiness and wrap-around are checked here.
    /// </summary>
    public override void CheckMapRange(ulong hostAddress, ulong size)
    {
        if (size == 0)
        {
            throw KvmPSException.InvalidArgument("VfioDmaMappingEmpty", "A DMA mapping needs a non-zero size.");
        }
        new AddressRange(hostAddress, size).ThrowIfWraps("VfioMemoryRangeWraps", "The host range");
    }

    /// <summary>The range inside one DMA window, aligned to its IOMMU page.</summary>
    public override ulong MapAlignment(ulong hostAddress, ulong size, ulong iova)
    {
        VfioDmaWindow window = _windows.FirstOrDefault(w => w.Contains(iova, size))
            ?? throw KvmPSException.InvalidArgument("VfioDmaMappingOutsideWindow",
                $"IOVA 0x{iova:X}-0x{iova + size - 1:X} is not inside one DMA window of container {Id}; its windows: " +
                $"{(_windows.Count == 0 ? "none" : string.Join("; ", _windows))}.");
        CheckWindowCanMap(window, hostAddress, size);
        return window.PageSize;
    }

    /// <summary>The model's rules for the memory behind a mapping into <paramref name="window"/>.</summary>
    protected virtual void CheckWindowCanMap(VfioDmaWindow window, ulong hostAddress, ulong size)
    {
    }

    public override void OnDmaIoctl() => MarkDefaultWindowMade();

    /// <summary>The first MAP_DMA, UNMAP_DMA or SPAPR_TCE_CREATE makes the kernel create a pending default window.</summary>
    protected void MarkDefaultWindowMade()
    {
        foreach (VfioDmaWindow window in _windows.Where(w => w.IsPending))
        {
            window.IsPending = false;
        }
    }

    /// <summary>
    /// The container half of KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE: kvm_spapr_tce_attach_iommu_group links a KVM TCE table
    /// only to a hardware table the group already has, with an IOMMU page no larger than the KVM table's, the same bus
    /// start and at least its size (EINVAL otherwise). Finds that window, and when it is the pending default window has
    /// the kernel make it with an empty VFIO_IOMMU_UNMAP_DMA, which like any unmap calls tce_iommu_create_default_window.
    /// </summary>
    public VfioDmaWindow PrepareKvmTceLink(VfioGroup group, SpaprTceWindow table)
    {
        VfioDmaWindow window = _windows.FirstOrDefault(w => w.CanBackKvmTable(table.PageShift, table.BusOffset, table.WindowSize))
            ?? throw KvmPSException.InvalidArgument("KvmVfioTceTableIncompatible",
                $"No DMA window of container {Id} can back the KVM TCE table {table}: KVM links a table to IOMMU group {group.Id} only through " +
                "a hardware window with IOMMU pages no larger than the table's, starting at the table's bus offset and covering all of it " +
                "(kvm_spapr_tce_attach_iommu_group answers EINVAL otherwise). " +
                (_windows.Count == 0
                    ? "The container has no window; create one first."
                    : "Tables that fit: " + string.Join("; ", _windows.Select(w =>
                        $"the {w}: page shift {w.PageShift}, offset 0x{w.StartAddress >> w.PageShift:X} and size 0x{w.Size >> w.PageShift:X} (or fewer) pages")) + "."));
        if (window.IsPending)
        {
            MakePendingDefaultWindow(window, group);
        }
        return window;
    }

    /// <summary>
    /// tce_iommu_ioctl refuses MAP/UNMAP with EPERM until the container is enabled: VFIO_IOMMU_ENABLE for v1, the first
    /// VFIO_IOMMU_SPAPR_REGISTER_MEMORY for v2. A model that is not enabled yet refuses here with its own advice.
    /// </summary>
    protected virtual void CheckCanMakePendingWindow(VfioDmaWindow window, VfioGroup group)
    {
    }

    private void MakePendingDefaultWindow(VfioDmaWindow window, VfioGroup group)
    {
        CheckCanMakePendingWindow(window, group);
        var request = new VfioDmaUnmapArg { Argsz = Argsz<VfioDmaUnmapArg>(), Iova = window.StartAddress, Size = 0 };
        Handle.Ioctl(VfioIoctls.IommuUnmapDma, ref request, errno => errno switch
        {
            Errno.EPERM => "The container is not enabled yet: register memory first (VFIO_IOMMU_SPAPR_REGISTER_MEMORY).",
            Errno.ENOMEM => "The kernel could not allocate the default window's TCE table; raise the locked-memory limit (ulimit -l).",
            _ => null,
        });
        window.IsPending = false;
    }

    public override void Release()
    {
        foreach (VfioDmaWindow window in _windows)
        {
            window.IsRemoved = true;
        }
        _windows.Clear();
    }
}
