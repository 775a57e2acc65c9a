using System.Numerics;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;
using KvmPS.Kvm;

namespace KvmPS.Vfio.Iommu;

/// <summary>
/// VFIO_SPAPR_TCE_v2_IOMMU: maps only preregistered memory (VFIO_IOMMU_SPAPR_REGISTER_MEMORY, whose first call enables
/// the container), shares its tables among groups, and creates and removes dynamic DMA windows.
/// </summary>
internal sealed class VfioSpaprTceV2Backend(VfioContainer container) : VfioSpaprTceBackend(container, VfioIommuType.SpaprTceV2)
{
    private readonly List<VfioMemoryRegistration> _registrations = [];

    public IReadOnlyList<VfioMemoryRegistration> Registrations => _registrations;

    /// <summary>
    /// VFIO_IOMMU_SPAPR_REGISTER_MEMORY: pins the range and accounts it as locked memory. The range must be page-aligned,
    /// must not already be registered, and must not overlap another registration (the kernel's EBUSY/EINVAL).
    /// </summary>
    public VfioMemoryRegistration RegisterMemory(ulong hostAddress, ulong size, GuestMemoryRegion? region)
    {
        CheckHostRange(hostAddress, size);
        if (_registrations.FirstOrDefault(r => r.Matches(hostAddress, size)) is { } same)
        {
            throw new KvmPSException("VfioMemoryAlreadyRegistered", ErrorKind.ResourceExists,
                $"0x{hostAddress:X}-0x{hostAddress + size - 1:X} is already registered with VFIO container {Id}.");
        }
        if (_registrations.FirstOrDefault(r => r.Overlaps(hostAddress, size)) is { } other)
        {
            throw KvmPSException.InvalidArgument("VfioMemoryRegistrationOverlaps",
                $"0x{hostAddress:X}-0x{hostAddress + size - 1:X} overlaps {other}; registrations must not overlap (unregister it first).");
        }
        var request = new VfioSpaprRegisterMemoryArg { Argsz = Argsz<VfioSpaprRegisterMemoryArg>(), Vaddr = hostAddress, Size = size };
        Handle.Ioctl(VfioIoctls.SpaprRegisterMemory, ref request, errno => errno switch
        {
            Errno.ENOMEM => "Registered memory is pinned and counted as locked: raise the locked-memory limit (ulimit -l) or run as root.",
            Errno.EFAULT => "The range is not mapped in this process.",
            _ => null,
        });
        var registration = new VfioMemoryRegistration(Container, hostAddress, size, HostPageShift, region);
        _registrations.Add(registration);
        return registration;
    }

    /// <summary>
    /// VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY. The kernel finds the registration by exact start and size (mm_iommu_get) and
    /// answers ENOENT for anything else, so the range is matched here first; a range still used by a DMA mapping is refused (EBUSY).
    /// </summary>
    public void UnregisterMemory(ulong hostAddress, ulong size)
    {
        VfioMemoryRegistration registration = _registrations.FirstOrDefault(r => r.Matches(hostAddress, size))
            ?? throw new KvmPSException("VfioMemoryRegistrationNotFound", ErrorKind.ObjectNotFound,
                $"0x{hostAddress:X}+0x{size:X} is not a registered range of VFIO container {Id}: unregistering needs exactly the start and size " +
                $"that were registered. Registered: {(_registrations.Count == 0 ? "none" : string.Join(", ", _registrations))}.");
        if (Container.FindMapping(m => registration.Contains(m.HostAddress, m.Size)) is { } mapping)
        {
            throw new KvmPSException("VfioMemoryStillMapped", ErrorKind.ResourceBusy,
                $"{registration} still backs {mapping}; remove the DMA mapping first.");
        }
        var request = new VfioSpaprRegisterMemoryArg { Argsz = Argsz<VfioSpaprRegisterMemoryArg>(), Vaddr = hostAddress, Size = size };
        Handle.Ioctl(VfioIoctls.SpaprUnregisterMemory, ref request, errno => errno switch
        {
            Errno.ENOENT => "The kernel knows no registration with exactly this start and size.",
            Errno.EBUSY => "The memory is still mapped for DMA.",
            _ => null,
        });
        _registrations.Remove(registration);
        registration.IsUnregistered = true;
    }

    /// <summary>
    /// VFIO_IOMMU_SPAPR_TCE_CREATE: a new DMA window of 2^pageShift-byte IOMMU pages; the kernel chooses and returns its bus
    /// start address. Needs the DDW flag, a page size from ddw.pgsizes, a power-of-two size, and a free window slot.
    /// Without <paramref name="levels"/> the level count is estimated and raised on failure (see <see cref="SpaprTceLevels"/>).
    /// </summary>
    public VfioDmaWindow CreateDmaWindow(int pageShift, ulong windowSize, int? levels)
    {
        VfioSpaprTceIommuInfo info = QueryInfo();
        if (!info.SupportsDynamicWindows)
        {
            throw new KvmPSException("VfioDdwNotSupported", ErrorKind.NotImplemented,
                $"The platform does not support dynamic DMA windows: VFIO_IOMMU_SPAPR_TCE_GET_INFO on container {Id} did not report VFIO_IOMMU_SPAPR_INFO_DDW " +
                "(\"the platform has to support the functionality or error will be returned\"). Only the default window is available.");
        }
        if (pageShift is < 0 or > 63 || (info.PageSizeMask & (1UL << pageShift)) == 0)
        {
            throw KvmPSException.InvalidArgument("VfioPageShiftNotSupported",
                $"Page shift {pageShift} is not a page size this platform supports for DMA windows; supported (ddw.pgsizes): " +
                $"{string.Join(", ", info.PageSizes)}.");
        }
        ulong pageSize = 1UL << pageShift;
        if (windowSize < pageSize || !BitOperations.IsPow2(windowSize))
        {
            throw KvmPSException.InvalidArgument("VfioWindowSizeInvalid",
                $"Window size 0x{windowSize:X} must be a power of two of at least one {VfioPageSize.Describe(pageSize)} page.");
        }
        CheckPageAgainstMemory(pageShift, info);
        int limit = Math.Min(VfioContainer.MaxSpaprWindows, info.MaxDynamicWindows);
        if (_windows.Count >= limit)
        {
            throw new KvmPSException("VfioDmaWindowLimitReached", ErrorKind.LimitsExceeded,
                $"Container {Id} already has {_windows.Count} DMA window(s) and the platform supports {limit} (the default window included): " +
                $"{string.Join("; ", _windows)}. Remove one first; removing the default window to make room is supported.");
        }
        if (levels is int requested && (requested < 1 || (info.MaxLevels > 0 && requested > info.MaxLevels)))
        {
            throw KvmPSException.InvalidArgument("VfioTceLevelsInvalid",
                $"Levels {requested} is outside 1..{info.MaxLevels} (ddw.levels, the most TCE table levels this platform supports).");
        }
        int[] candidates = LevelCandidates(pageShift, windowSize, levels, info, out int estimatedMax);
        int errno = 0;
        foreach (int tried in candidates)
        {
            var request = new VfioSpaprTceCreateArg
            {
                Argsz = Argsz<VfioSpaprTceCreateArg>(),
                PageShift = (uint)pageShift,
                WindowSize = windowSize,
                Levels = (uint)tried,
            };
            errno = TryCreateWindow(ref request);
            if (errno == 0)
            {
                MarkDefaultWindowMade();   // SPAPR_TCE_CREATE makes a pending default window first
                var window = new VfioDmaWindow(Container, request.StartAddr, windowSize, pageShift, tried, isDefault: false);
                _windows.Add(window);
                return window;
            }
            if (errno != Errno.ENOMEM)
            {
                break;   // only a failed allocation can be helped by more, smaller levels
            }
        }
        string skipped = levels is null && candidates[^1] < estimatedMax
            ? $" ({candidates[^1] + 1} or more levels would index bus-address bits at or above bit {SpaprTceLevels.BusAddressBits}, which the kernel refuses)"
            : "";
        throw new KvmIoctlException(VfioIoctls.SpaprTceCreate.Name, errno, errno switch
        {
            Errno.ENOMEM when candidates.Length > 1 =>
                $"The kernel could not allocate the table with any level count from {candidates[0]} to {candidates[^1]}{skipped}; try a smaller window or a larger page size, or free host memory.",
            Errno.ENOMEM when levels is null =>
                $"The kernel could not allocate the table with {candidates[0]} levels{skipped}; try a smaller window or a larger page size, or free host memory.",
            Errno.ENOMEM => "The TCE table is counted as locked memory: raise the locked-memory limit (ulimit -l), or use more levels or a smaller window.",
            Errno.ENOSPC => "The container has no free window slot.",
            Errno.EPERM => "The platform cannot create windows for this group.",
            Errno.EINVAL => "The platform refused the window's page size, size or level count (tce_iommu_create_window, pnv_pci_ioda2_table_alloc_pages).",
            _ => null,
        });
    }

    /// <summary>VFIO_IOMMU_SPAPR_TCE_REMOVE by start address (the window's id); the default window may be removed to make room.</summary>
    public void RemoveDmaWindow(ulong startAddress)
    {
        VfioDmaWindow window = _windows.FirstOrDefault(w => w.StartAddress == startAddress)
            ?? throw new KvmPSException("VfioDmaWindowNotFound", ErrorKind.ObjectNotFound,
                $"Container {Id} has no DMA window starting at 0x{startAddress:X}; windows are removed by their exact start address. " +
                $"Its windows: {(_windows.Count == 0 ? "none" : string.Join("; ", _windows))}.");
        var request = new VfioSpaprTceRemoveArg { Argsz = Argsz<VfioSpaprTceRemoveArg>(), StartAddr = startAddress };
        Handle.Ioctl(VfioIoctls.SpaprTceRemove, ref request, errno => errno switch
        {
            Errno.EINVAL => "The kernel knows no window at this start address.",
            Errno.EPERM => "This platform does not let user space remove this window.",
            _ => null,
        });
        _windows.Remove(window);
        window.IsRemoved = true;
        Container.ForgetMappings(m => window.Contains(m.Iova, m.Size));
    }

    /// <summary>On v2 the memory must be registered, with pages at least as large as the window's IOMMU pages.</summary>
    protected override void CheckWindowCanMap(VfioDmaWindow window, ulong hostAddress, ulong size)
    {
        VfioMemoryRegistration registration = _registrations.FirstOrDefault(r => r.Contains(hostAddress, size))
            ?? throw KvmPSException.InvalidOperation("VfioMemoryNotRegistered",
                $"0x{hostAddress:X}-0x{hostAddress + size - 1:X} is not inside registered memory; SPAPR_TCE_v2 maps only preregistered memory.");
        if (window.PageShift > registration.MaxIommuPageShift)
        {
            throw KvmPSException.InvalidArgument("VfioPageShiftExceedsMemoryPage",
                $"The {window} has larger pages than {registration} can back ({VfioPageSize.Describe(1UL << registration.MaxIommuPageShift)}): " +
                "mm_iommu_ua_to_hpa refuses it and VFIO_IOMMU_MAP_DMA would answer EINVAL. Map into a window of smaller pages.");
        }
    }

    /// <summary>A v2 container is enabled by its first registration (tce_iommu_register_pages); until then MAP/UNMAP answer EPERM.</summary>
    protected override void CheckCanMakePendingWindow(VfioDmaWindow window, VfioGroup group)
    {
        if (_registrations.Count == 0)
        {
            throw KvmPSException.InvalidOperation("VfioDefaultWindowPending",
                $"The {window} of container {Id} does not exist in the kernel yet: after VFIO_SET_IOMMU it is only pending, made by the " +
                $"first VFIO_IOMMU_MAP_DMA, UNMAP_DMA or SPAPR_TCE_CREATE, and until then IOMMU group {group.Id} has no hardware table to link. " +
                "Register the guest memory first (which enables the SPAPR_TCE_v2 container), then link again; " +
                "KvmPS then has the kernel make the window with an empty VFIO_IOMMU_UNMAP_DMA.");
        }
    }

    public override void Release()
    {
        base.Release();
        foreach (VfioMemoryRegistration registration in _registrations)
        {
            registration.IsUnregistered = true;
        }
        _registrations.Clear();
    }

    private unsafe int TryCreateWindow(ref VfioSpaprTceCreateArg request)
    {
        fixed (VfioSpaprTceCreateArg* pointer = &request)
        {
            long result = Handle.TryIoctl(VfioIoctls.SpaprTceCreate, (nint)pointer);
            return result < 0 ? (int)-result : 0;
        }
    }

    /// <summary>
    /// The level counts to try, in order: the given one, or QEMU's estimate raised one at a time; either way only counts
    /// whose table stays below bus-address bit 55 (<see cref="SpaprTceLevels.FitsBusAddress"/>), as the kernel answers
    /// EINVAL for the others and no retry can help.
    /// </summary>
    private int[] LevelCandidates(int pageShift, ulong windowSize, int? levels, VfioSpaprTceIommuInfo info, out int estimatedMax)
    {
        (int first, int max) = levels is int fixedLevels ? (fixedLevels, fixedLevels)
            : SpaprTceLevels.Estimate(pageShift, windowSize, Kernel.PageSize, info.MaxLevels);
        estimatedMax = max;
        int[] fitting = Enumerable.Range(first, max - first + 1)
            .Where(count => SpaprTceLevels.FitsBusAddress(pageShift, windowSize, count, Kernel.PageSize))
            .ToArray();
        if (fitting.Length == 0)
        {
            int bits = SpaprTceLevels.IndexedBits(pageShift, windowSize, first, Kernel.PageSize);
            throw KvmPSException.InvalidArgument("VfioWindowTooLarge",
                $"A {VfioPageSize.Describe(windowSize)} window of {VfioPageSize.Describe(1UL << pageShift)} IOMMU pages cannot be built with " +
                (first == max ? $"{first} level{(first == 1 ? "" : "s")}" : $"{first} to {max} levels") +
                $" on this host: each level takes at least one {VfioPageSize.Describe((ulong)Kernel.PageSize)} host page, so the table would index " +
                $"bus-address bits up to bit {bits}, and PowerNV TCE tables must stay below bit {SpaprTceLevels.BusAddressBits} " +
                "(pnv_pci_ioda2_table_alloc_pages answers EINVAL). Use a smaller window, larger IOMMU pages" +
                (levels is null ? "." : ", or fewer levels."));
        }
        return fitting;
    }

    /// <summary>
    /// A window's IOMMU pages must not be larger than the pages of the memory it maps: tce_iommu_build_v2 looks the
    /// memory up with mm_iommu_ua_to_hpa, which refuses a page shift above the registration's (MAP_DMA then answers
    /// EINVAL), and tce_page_is_contained wants the backing page at least as large (EPERM). KvmPS maps memory with
    /// ordinary host pages, so, like QEMU (which caps the IOMMU page at the RAM page size), windows are limited to those.
    /// </summary>
    private void CheckPageAgainstMemory(int pageShift, VfioSpaprTceIommuInfo info)
    {
        int memoryShift = _registrations.Count > 0 ? _registrations.Min(r => r.MaxIommuPageShift) : HostPageShift;
        if (pageShift <= memoryShift)
        {
            return;
        }
        string usable = string.Join(", ", info.PageSizes.Where(p => p.Shift <= memoryShift).Select(p => p.ToString()));
        throw KvmPSException.InvalidArgument("VfioPageShiftExceedsMemoryPage",
            $"IOMMU pages of {VfioPageSize.Describe(1UL << pageShift)} need memory backed by pages at least that large, and " +
            (_registrations.Count > 0 ? "the memory registered with" : "the memory KvmPS registers with") +
            $" container {Id} uses {VfioPageSize.Describe(1UL << memoryShift)} pages (the host page size): VFIO_IOMMU_MAP_DMA into such a window " +
            "would fail (mm_iommu_ua_to_hpa refuses IOMMU pages larger than the registered memory's). Use a page shift of at most " +
            $"{memoryShift}{(usable.Length > 0 ? $" ({usable})" : "")}.");
    }
}
