using System.Numerics;
using System.Runtime.CompilerServices;
using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;
using KvmPS.Kvm;

namespace KvmPS.Vfio;

/// <summary>
/// A VFIO container (/dev/vfio/vfio): the IOMMU context that groups are attached to. It tracks what it asked the
/// kernel for (groups, windows, registrations, mappings) so the documented rules are checked before each ioctl.
/// Disposing it closes the devices, the groups and the container, which releases everything in the kernel.
/// </summary>
public sealed class VfioContainer : IDisposable
{
    public const string DefaultDevicePath = "/dev/vfio/vfio";

    /// <summary>VFIO_API_VERSION: VFIO_GET_API_VERSION must report it.</summary>
    public const int SupportedApiVersion = 0;

    /// <summary>IOMMU_TABLE_GROUP_MAX_TABLES: a sPAPR container holds at most two windows, the default one included.</summary>
    public const int MaxSpaprWindows = 2;

    private readonly object _gate = new();
    private readonly List<VfioGroup> _groups = [];
    private readonly List<VfioDmaWindow> _windows = [];
    private readonly List<VfioMemoryRegistration> _registrations = [];
    private readonly List<VfioDmaMapping> _mappings = [];
    private bool _disposed;

    private VfioContainer(KernelInterface kernel, int id, string devicePath, VfioIommuGroups iommuGroups, VfioContainerHandle handle,
        int apiVersion, IReadOnlyList<VfioIommuType> supported)
    {
        Kernel = kernel;
        Id = id;
        DevicePath = devicePath;
        IommuGroups = iommuGroups;
        Handle = handle;
        ApiVersion = apiVersion;
        SupportedIommuTypes = supported;
        Created = DateTimeOffset.Now;
    }

    /// <summary>Opens the container, refuses an API version other than 0 and probes which IOMMU types the host offers.</summary>
    public static VfioContainer Open(KernelInterface kernel, int id = 1, string devicePath = DefaultDevicePath,
        string sysfsRoot = VfioIommuGroups.DefaultSysfsRoot)
    {
        VfioContainerHandle handle;
        try
        {
            handle = KernelCalls.OpenDevice<VfioContainerHandle>(kernel, devicePath, LinuxConstants.O_RDWR, _ => null);
        }
        catch (KvmIoctlException e)
        {
            throw VfioErrors.ContainerOpenFailed(devicePath, e);
        }
        try
        {
            int version = (int)handle.Ioctl(VfioIoctls.GetApiVersion);
            if (version != SupportedApiVersion)
            {
                throw new KvmPSException("VfioApiVersionMismatch", ErrorKind.NotImplemented,
                    $"{devicePath} reports VFIO API version {version}; KvmPS speaks VFIO_API_VERSION {SupportedApiVersion} only and refuses to use it.");
            }
            var supported = Enum.GetValues<VfioIommuType>()
                .Where(type => handle.TryIoctl(VfioIoctls.CheckExtension, (nint)(int)type) > 0)
                .ToArray();
            string groupDirectory = Path.GetDirectoryName(devicePath) ?? "/dev/vfio";
            return new VfioContainer(kernel, id, devicePath, new VfioIommuGroups(sysfsRoot, groupDirectory), handle, version, supported);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public int Id { get; }
    internal KernelInterface Kernel { get; }
    public string DevicePath { get; }
    public int ApiVersion { get; }
    public DateTimeOffset Created { get; }

    /// <summary>The IOMMU types VFIO_CHECK_EXTENSION reports as supported.</summary>
    public IReadOnlyList<VfioIommuType> SupportedIommuTypes { get; }

    /// <summary>The type set with VFIO_SET_IOMMU; null until then and again after the last group leaves.</summary>
    public VfioIommuType? IommuType { get; private set; }

    /// <summary>Where the groups' sysfs description and /dev/vfio nodes are found.</summary>
    public VfioIommuGroups IommuGroups { get; }

    internal VfioContainerHandle Handle { get; }
    public bool IsClosed => _disposed;

    internal VfioContainerHandle Descriptor
    {
        get
        {
            ThrowIfDisposed();
            return Handle;
        }
    }

    public IReadOnlyList<VfioGroup> Groups { get { lock (_gate) { return _groups.ToArray(); } } }
    public IReadOnlyList<VfioDmaWindow> DmaWindows { get { lock (_gate) { return _windows.OrderBy(w => w.StartAddress).ToArray(); } } }
    public IReadOnlyList<VfioMemoryRegistration> MemoryRegistrations { get { lock (_gate) { return _registrations.ToArray(); } } }
    public IReadOnlyList<VfioDmaMapping> DmaMappings { get { lock (_gate) { return _mappings.ToArray(); } } }

    /// <summary>VFIO_CHECK_EXTENSION: 0 when unsupported, otherwise positive.</summary>
    public int CheckExtension(int extension)
    {
        ThrowIfDisposed();
        long result = Handle.TryIoctl(VfioIoctls.CheckExtension, extension);
        return result > 0 ? (int)result : 0;
    }

    /// <summary>
    /// Opens /dev/vfio/&lt;groupId&gt;, checks VFIO_GROUP_GET_STATUS (viable, not in another container) and attaches the
    /// group with VFIO_GROUP_SET_CONTAINER.
    /// </summary>
    public VfioGroup AttachGroup(int groupId)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (groupId < 0)
            {
                throw KvmPSException.InvalidArgument("InvalidVfioGroupId", $"IOMMU group ids are non-negative; got {groupId}.");
            }
            if (_groups.FirstOrDefault(g => g.Id == groupId) is { } existing)
            {
                throw new KvmPSException("VfioGroupAlreadyAttached", ErrorKind.ResourceExists,
                    $"IOMMU group {groupId} is already attached to VFIO container {Id}.");
            }
            if (IommuType == VfioIommuType.SpaprTce && _groups.Count > 0)
            {
                throw KvmPSException.InvalidOperation("VfioSpaprTceOneGroupPerContainer",
                    $"A SPAPR_TCE (v1) container holds a single group and container {Id} has group {_groups[0].Id}; open another container, " +
                    "or use SPAPR_TCE_v2, which shares its tables among groups.");
            }
            string path = IommuGroups.DevicePathOf(groupId);
            VfioGroupHandle handle;
            try
            {
                handle = KernelCalls.OpenDevice<VfioGroupHandle>(Kernel, path, LinuxConstants.O_RDWR, _ => null);
            }
            catch (KvmIoctlException e)
            {
                throw VfioErrors.GroupOpenFailed(groupId, path, e);
            }
            try
            {
                VfioGroupInfo? info = IommuGroups.Find(groupId);
                VfioGroupFlags status = VfioGroup.ReadStatus(handle);
                if (!status.HasFlag(VfioGroupFlags.Viable))
                {
                    string culprits = info is null ? "" :
                        " Devices not bound to a VFIO driver: " + string.Join(", ", info.Devices.Where(d => !d.KeepsGroupViable)) + ".";
                    throw KvmPSException.InvalidOperation("VfioGroupNotViable",
                        $"IOMMU group {groupId} is not viable (VFIO_GROUP_GET_STATUS lacks VFIO_GROUP_FLAGS_VIABLE): every device in the group " +
                        $"must be bound to vfio-pci (or to no driver) before the group can be used.{culprits}");
                }
                if (status.HasFlag(VfioGroupFlags.ContainerSet))
                {
                    throw new KvmPSException("VfioGroupAlreadyInContainer", ErrorKind.ResourceBusy,
                        $"IOMMU group {groupId} is already attached to a container (VFIO_GROUP_FLAGS_CONTAINER_SET); remove it from that container first.");
                }
                SetContainer(handle, groupId);
                var group = new VfioGroup(this, groupId, path, handle, info);
                _groups.Add(group);
                return group;
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
    }

    private unsafe void SetContainer(VfioGroupHandle group, int groupId)
    {
        KernelCalls.WithHandle(Handle, containerFd =>
        {
            int fd = containerFd;
            return group.Ioctl(VfioIoctls.GroupSetContainer, (nint)(&fd), errno => errno switch
            {
                Errno.EBUSY => $"IOMMU group {groupId} could not be claimed for user-space DMA: a device of the group is still bound to a host driver, " +
                    "or the container's IOMMU model accepts no further group.",
                Errno.EPERM => $"The container's IOMMU refuses group {groupId} (incompatible IOMMU, or a no-IOMMU group without CAP_SYS_RAWIO).",
                Errno.EINVAL => $"IOMMU group {groupId} is already attached to a container, or the IOMMU type set on container {Id} cannot take it.",
                _ => null,
            });
        });
    }

    /// <summary>
    /// VFIO_GROUP_UNSET_CONTAINER and close. Every device descriptor must be released first (vfio.h): open devices are an
    /// error unless <paramref name="closeDevices"/> closes them. The last group leaving resets the container's IOMMU.
    /// </summary>
    public void DetachGroup(VfioGroup group, bool closeDevices = false)
    {
        lock (_gate)
        {
            if (!_groups.Contains(group))
            {
                throw new KvmPSException("VfioGroupNotAttached", ErrorKind.ObjectNotFound,
                    $"IOMMU group {group.Id} is not attached to VFIO container {Id} (already removed?).");
            }
            if (closeDevices)
            {
                foreach (VfioDevice device in group.Devices)
                {
                    device.Dispose();
                }
            }
            if (group.Devices.Count > 0)
            {
                throw KvmPSException.InvalidOperation("VfioGroupHasOpenDevices",
                    $"IOMMU group {group.Id} still has open devices ({string.Join(", ", group.Devices.Select(d => d.Name))}); " +
                    "all device descriptors must be released before VFIO_GROUP_UNSET_CONTAINER. Close them first (or use -Force).");
            }
            group.Handle.Ioctl(VfioIoctls.GroupUnsetContainer, 0,
                errno => errno == Errno.EBUSY ? "A device descriptor of the group is still open somewhere; close it first." : null);
            _groups.Remove(group);
            group.Close();
            if (_groups.Count == 0)
            {
                ForgetIommuState();
            }
        }
    }

    /// <summary>
    /// VFIO_SET_IOMMU. The type must pass VFIO_CHECK_EXTENSION and a group must be attached first (vfio.h: "Availability:
    /// When VFIO group attached"). SPAPR_TCE (v1) is then enabled with VFIO_IOMMU_ENABLE, as QEMU does; sPAPR containers
    /// start with the default 32-bit window, which is recorded as pending (see <see cref="VfioDmaWindow.IsPending"/>).
    /// </summary>
    public void SetIommu(VfioIommuType type)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!Enum.IsDefined(type))
            {
                throw KvmPSException.InvalidArgument("InvalidVfioIommuType", $"{(int)type} is not a VFIO IOMMU type KvmPS knows.");
            }
            if (IommuType is { } current)
            {
                throw KvmPSException.InvalidOperation("VfioIommuAlreadySet",
                    $"VFIO container {Id} already uses the {KvmNames.KernelName(current)} IOMMU; there is no unset: remove every group (or close the container) to start over.");
            }
            if (_groups.Count == 0)
            {
                throw KvmPSException.InvalidOperation("VfioIommuNeedsGroup",
                    $"VFIO_SET_IOMMU is only available once a group is attached to the container (vfio.h); add a group to container {Id} first (Add-VfioGroup).");
            }
            if (!SupportedIommuTypes.Contains(type))
            {
                throw new KvmPSException("VfioIommuTypeNotSupported", ErrorKind.NotImplemented,
                    $"This host does not support the {KvmNames.KernelName(type)} IOMMU: VFIO_CHECK_EXTENSION returned 0. Supported here: " +
                    (SupportedIommuTypes.Count == 0 ? "none (load vfio_iommu_type1 on x86_64/aarch64, vfio_iommu_spapr_tce on POWER)" : string.Join(", ", SupportedIommuTypes)) + ".");
            }
            Handle.Ioctl(VfioIoctls.SetIommu, (int)type, errno => errno switch
            {
                Errno.EINVAL => "The container already has an IOMMU or has no group attached.",
                Errno.ENODEV => "No loaded IOMMU driver accepts this type for the attached groups.",
                _ => null,
            });
            IommuType = type;
            if (type == VfioIommuType.SpaprTce)
            {
                Handle.Ioctl(VfioIoctls.IommuEnable, 0, errno => errno == Errno.ENOMEM
                    ? "Enabling accounts the whole 32-bit window as locked memory; raise the locked-memory limit (ulimit -l) or run as root." : null);
            }
            if (type.IsSpapr())
            {
                VfioSpaprTceIommuInfo info = QuerySpaprInfo();
                _windows.Add(new VfioDmaWindow(this, info.Dma32WindowStart, info.Dma32WindowSize, pageShift: 12, levels: 1, isDefault: true) { IsPending = true });
            }
        }
    }

    /// <summary>VFIO_IOMMU_GET_INFO or VFIO_IOMMU_SPAPR_TCE_GET_INFO, whichever the container's IOMMU type answers.</summary>
    public object GetIommuInfo()
    {
        VfioIommuType type = RequireIommu("reading IOMMU information");
        return type.IsSpapr() ? GetSpaprTceInfo() : GetType1Info();
    }

    /// <summary>
    /// VFIO_IOMMU_GET_INFO. argsz is sizeof(struct vfio_iommu_type1_info); when the kernel reports a larger argsz it is
    /// offering a capability chain, which KvmPS ignores (the size is reported as <see cref="VfioType1IommuInfo.CapabilityChainSize"/>).
    /// </summary>
    public VfioType1IommuInfo GetType1Info()
    {
        lock (_gate)
        {
            VfioIommuType type = RequireIommu("VFIO_IOMMU_GET_INFO");
            if (!type.IsType1())
            {
                throw KvmPSException.InvalidOperation("VfioIommuTypeMismatch",
                    $"VFIO_IOMMU_GET_INFO belongs to the Type1 IOMMU; container {Id} uses {KvmNames.KernelName(type)} (use its sPAPR information instead).");
            }
            var info = new VfioIommuType1InfoArg { Argsz = Argsz<VfioIommuType1InfoArg>() };
            Handle.Ioctl(VfioIoctls.IommuGetInfo, ref info);
            return new VfioType1IommuInfo(this, info.Flags, info.IovaPgsizes, info.Argsz, Unsafe.SizeOf<VfioIommuType1InfoArg>());
        }
    }

    /// <summary>VFIO_IOMMU_SPAPR_TCE_GET_INFO with argsz covering the ddw member, so DDW details come back when supported.</summary>
    public VfioSpaprTceIommuInfo GetSpaprTceInfo()
    {
        lock (_gate)
        {
            VfioIommuType type = RequireIommu("VFIO_IOMMU_SPAPR_TCE_GET_INFO");
            if (!type.IsSpapr())
            {
                throw KvmPSException.InvalidOperation("VfioIommuTypeMismatch",
                    $"VFIO_IOMMU_SPAPR_TCE_GET_INFO belongs to the sPAPR TCE IOMMU; container {Id} uses {KvmNames.KernelName(type)}.");
            }
            return QuerySpaprInfo();
        }
    }

    private VfioSpaprTceIommuInfo QuerySpaprInfo()
    {
        var info = new VfioSpaprTceInfoArg { Argsz = Argsz<VfioSpaprTceInfoArg>() };
        Handle.Ioctl(VfioIoctls.SpaprTceGetInfo, ref info, errno => errno == Errno.ENXIO ? "The container has no group attached." : null);
        return new VfioSpaprTceIommuInfo(Id, IommuType!.Value, info.Flags, info.Dma32WindowStart, info.Dma32WindowSize,
            info.Ddw.Pgsizes, info.Ddw.MaxDynamicWindowsSupported, info.Ddw.Levels);
    }

    /// <summary>VFIO_IOMMU_SPAPR_REGISTER_MEMORY of a VM memory region's backing memory.</summary>
    public VfioMemoryRegistration RegisterMemory(GuestMemoryRegion region) =>
        RegisterMemory((ulong)region.HostAddress, region.Size, region);

    /// <summary>
    /// VFIO_IOMMU_SPAPR_REGISTER_MEMORY (SPAPR_TCE_v2 only): pins the range and accounts it as locked memory. The range must
    /// be page-aligned, must not already be registered, and must not overlap another registration (the kernel's EBUSY/EINVAL).
    /// </summary>
    public VfioMemoryRegistration RegisterMemory(ulong hostAddress, ulong size, GuestMemoryRegion? region = null)
    {
        lock (_gate)
        {
            RequireSpaprV2("registering memory (VFIO_IOMMU_SPAPR_REGISTER_MEMORY)");
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
            var registration = new VfioMemoryRegistration(this, hostAddress, size, HostPageShift, region);
            _registrations.Add(registration);
            return registration;
        }
    }

    public void UnregisterMemory(VfioMemoryRegistration registration)
    {
        if (registration.Container != this)
        {
            throw KvmPSException.InvalidArgument("VfioMemoryRegistrationNotFound", $"{registration} belongs to VFIO container {registration.ContainerId}, not {Id}.");
        }
        UnregisterMemory(registration.HostAddress, registration.Size);
    }

    /// <summary>
    /// VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY. The kernel finds the registration by exact start and size (mm_iommu_get) and
    /// answers ENOENT for anything else, so the range is matched here first; a range still used by a DMA mapping is refused (EBUSY).
    /// </summary>
    public void UnregisterMemory(ulong hostAddress, ulong size)
    {
        lock (_gate)
        {
            RequireSpaprV2("unregistering memory (VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY)");
            VfioMemoryRegistration registration = _registrations.FirstOrDefault(r => r.Matches(hostAddress, size))
                ?? throw new KvmPSException("VfioMemoryRegistrationNotFound", ErrorKind.ObjectNotFound,
                    $"0x{hostAddress:X}+0x{size:X} is not a registered range of VFIO container {Id}: unregistering needs exactly the start and size " +
                    $"that were registered. Registered: {(_registrations.Count == 0 ? "none" : string.Join(", ", _registrations))}.");
            if (_mappings.FirstOrDefault(m => registration.Contains(m.HostAddress, m.Size)) is { } mapping)
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
    }

    /// <summary>
    /// VFIO_IOMMU_SPAPR_TCE_CREATE: a new DMA window of 2^pageShift-byte IOMMU pages; the kernel chooses and returns its bus
    /// start address. Needs SPAPR_TCE_v2 and the DDW flag, a page size from ddw.pgsizes, a power-of-two size, and a free
    /// window slot. Without <paramref name="levels"/> the level count is estimated and raised on failure (see <see cref="SpaprTceLevels"/>).
    /// </summary>
    public VfioDmaWindow CreateDmaWindow(int pageShift, ulong windowSize, int? levels = null)
    {
        lock (_gate)
        {
            RequireSpaprV2("creating a dynamic DMA window (VFIO_IOMMU_SPAPR_TCE_CREATE)");
            VfioSpaprTceIommuInfo info = QuerySpaprInfo();
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
            int limit = Math.Min(MaxSpaprWindows, info.MaxDynamicWindows);
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
                    var window = new VfioDmaWindow(this, request.StartAddr, windowSize, pageShift, tried, isDefault: false);
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

    /// <summary>The first MAP_DMA, UNMAP_DMA or SPAPR_TCE_CREATE makes the kernel create a pending default window.</summary>
    private void MarkDefaultWindowMade()
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
    internal VfioDmaWindow PrepareKvmTceLink(VfioGroup group, Kvm.Ppc.SpaprTceWindow table)
    {
        lock (_gate)
        {
            VfioIommuType type = RequireIommu("linking IOMMU group " + group.Id + " to a KVM TCE table (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE)");
            if (!type.IsSpapr())
            {
                throw KvmPSException.InvalidOperation("VfioIommuTypeMismatch",
                    $"KVM TCE tables link to groups of a sPAPR TCE container; container {Id} uses {KvmNames.KernelName(type)}.");
            }
            VfioDmaWindow window = _windows.FirstOrDefault(w => w.CanBackKvmTable(table.PageShift, table.BusOffset, table.WindowSize))
                ?? throw KvmPSException.InvalidArgument("KvmVfioTceTableIncompatible",
                    $"No DMA window of container {Id} can back the KVM TCE table {table}: KVM links a table to IOMMU group {group.Id} only through " +
                    "a hardware window with IOMMU pages no larger than the table's, starting at the table's bus offset and covering all of it " +
                    "(kvm_spapr_tce_attach_iommu_group answers EINVAL otherwise). " +
                    (_windows.Count == 0
                        ? "The container has no window; create one first (New-VfioDmaWindow)."
                        : "Tables that fit: " + string.Join("; ", _windows.Select(w =>
                            $"the {w}: New-KvmSpaprTce -PageShift {w.PageShift} -Offset 0x{w.StartAddress >> w.PageShift:X} -Size 0x{w.Size >> w.PageShift:X} (or fewer pages)")) + "."));
            if (window.IsPending)
            {
                MakePendingDefaultWindow(window, group);
            }
            return window;
        }
    }

    private void MakePendingDefaultWindow(VfioDmaWindow window, VfioGroup group)
    {
        // tce_iommu_ioctl refuses MAP/UNMAP with EPERM until the container is enabled: VFIO_IOMMU_ENABLE for v1 (done by
        // SetIommu), the first VFIO_IOMMU_SPAPR_REGISTER_MEMORY for v2.
        if (IommuType == VfioIommuType.SpaprTceV2 && _registrations.Count == 0)
        {
            throw KvmPSException.InvalidOperation("VfioDefaultWindowPending",
                $"The {window} of container {Id} does not exist in the kernel yet: after VFIO_SET_IOMMU it is only pending, made by the " +
                $"first VFIO_IOMMU_MAP_DMA, UNMAP_DMA or SPAPR_TCE_CREATE, and until then IOMMU group {group.Id} has no hardware table to link. " +
                "Register the guest memory first (Register-VfioMemory, which enables the SPAPR_TCE_v2 container), then link again; " +
                "KvmPS then has the kernel make the window with an empty VFIO_IOMMU_UNMAP_DMA.");
        }
        var request = new VfioDmaUnmapArg { Argsz = Argsz<VfioDmaUnmapArg>(), Iova = window.StartAddress, Size = 0 };
        Handle.Ioctl(VfioIoctls.IommuUnmapDma, ref request, errno => errno switch
        {
            Errno.EPERM => "The container is not enabled yet: register memory first (Register-VfioMemory).",
            Errno.ENOMEM => "The kernel could not allocate the default window's TCE table; raise the locked-memory limit (ulimit -l).",
            _ => null,
        });
        window.IsPending = false;
    }

    private unsafe int TryCreateWindow(ref VfioSpaprTceCreateArg request)
    {
        fixed (VfioSpaprTceCreateArg* pointer = &request)
        {
            long result = Handle.TryIoctl(VfioIoctls.SpaprTceCreate, (nint)pointer);
            return result < 0 ? (int)-result : 0;
        }
    }

    public void RemoveDmaWindow(VfioDmaWindow window)
    {
        if (window.Container != this)
        {
            throw KvmPSException.InvalidArgument("VfioDmaWindowNotFound", $"{window} belongs to VFIO container {window.ContainerId}, not {Id}.");
        }
        RemoveDmaWindow(window.StartAddress);
    }

    /// <summary>VFIO_IOMMU_SPAPR_TCE_REMOVE by start address (the window's id); the default window may be removed to make room.</summary>
    public void RemoveDmaWindow(ulong startAddress)
    {
        lock (_gate)
        {
            RequireSpaprV2("removing a DMA window (VFIO_IOMMU_SPAPR_TCE_REMOVE)");
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
            foreach (VfioDmaMapping mapping in _mappings.Where(m => window.Contains(m.Iova, m.Size)).ToArray())
            {
                _mappings.Remove(mapping);
                mapping.IsUnmapped = true;
            }
        }
    }

    /// <summary>VFIO_IOMMU_MAP_DMA of a VM memory region's backing memory at <paramref name="iova"/> (its guest address when omitted).</summary>
    public VfioDmaMapping MapDma(GuestMemoryRegion region, ulong? iova = null, bool readOnly = false) =>
        MapDma((ulong)region.HostAddress, region.Size, iova ?? region.GuestAddress, readable: true, writable: !readOnly && !region.ReadOnly, region);

    /// <summary>
    /// VFIO_IOMMU_MAP_DMA. Type1: iova, size and address aligned to the smallest IOMMU page, no overlap with an existing
    /// mapping (EEXIST). sPAPR: the range inside one DMA window and aligned to its page size; on v2 the memory must be registered.
    /// </summary>
    public VfioDmaMapping MapDma(ulong hostAddress, ulong size, ulong iova, bool readable, bool writable, GuestMemoryRegion? region = null)
    {
        lock (_gate)
        {
            VfioIommuType type = RequireIommu("mapping memory for DMA (VFIO_IOMMU_MAP_DMA)");
            if (!readable && !writable)
            {
                throw KvmPSException.InvalidArgument("VfioDmaMappingNeedsAccess", "A DMA mapping must let the device read, write, or both.");
            }
            if (type.IsSpapr())
            {
                // sPAPR checks the range against the window's IOMMU page, not PAGE_SIZE (tce_iommu_ioctl, MAP_DMA): 4 KiB
                // maps into a 4 KiB window are valid on a 64 KiB host.
                CheckRangeShape(hostAddress, size);
            }
            else
            {
                CheckHostRange(hostAddress, size);
            }
            if (iova + size < iova)
            {
                throw KvmPSException.InvalidArgument("VfioDmaRangeWraps", $"IOVA 0x{iova:X}+0x{size:X} wraps around the address space.");
            }
            ulong alignment;
            if (type.IsSpapr())
            {
                VfioDmaWindow window = _windows.FirstOrDefault(w => w.Contains(iova, size))
                    ?? throw KvmPSException.InvalidArgument("VfioDmaMappingOutsideWindow",
                        $"IOVA 0x{iova:X}-0x{iova + size - 1:X} is not inside one DMA window of container {Id}; its windows: " +
                        $"{(_windows.Count == 0 ? "none" : string.Join("; ", _windows))}.");
                alignment = window.PageSize;
                if (type == VfioIommuType.SpaprTceV2)
                {
                    VfioMemoryRegistration registration = _registrations.FirstOrDefault(r => r.Contains(hostAddress, size))
                        ?? throw KvmPSException.InvalidOperation("VfioMemoryNotRegistered",
                            $"0x{hostAddress:X}-0x{hostAddress + size - 1:X} is not inside registered memory; SPAPR_TCE_v2 maps only preregistered memory (Register-VfioMemory first).");
                    if (window.PageShift > registration.MaxIommuPageShift)
                    {
                        throw KvmPSException.InvalidArgument("VfioPageShiftExceedsMemoryPage",
                            $"The {window} has larger pages than {registration} can back ({VfioPageSize.Describe(1UL << registration.MaxIommuPageShift)}): " +
                            "mm_iommu_ua_to_hpa refuses it and VFIO_IOMMU_MAP_DMA would answer EINVAL. Map into a window of smaller pages.");
                    }
                }
            }
            else
            {
                alignment = Math.Max(GetType1Info().MinimumPageSize, 1);
            }
            if ((iova | size | hostAddress) % alignment != 0)
            {
                throw KvmPSException.InvalidArgument("VfioDmaMappingNotAligned",
                    $"IOVA 0x{iova:X}, size 0x{size:X} and address 0x{hostAddress:X} must be multiples of the {VfioPageSize.Describe(alignment)} IOMMU page.");
            }
            if (_mappings.FirstOrDefault(m => m.Overlaps(iova, size)) is { } other)
            {
                throw new KvmPSException("VfioDmaMappingOverlaps", ErrorKind.ResourceExists,
                    $"IOVA 0x{iova:X}-0x{iova + size - 1:X} overlaps {other}; remove that mapping first.");
            }
            var request = new VfioDmaMapArg
            {
                Argsz = Argsz<VfioDmaMapArg>(),
                Flags = (readable ? VfioConstants.DmaMapFlagRead : 0) | (writable ? VfioConstants.DmaMapFlagWrite : 0),
                Vaddr = hostAddress,
                Iova = iova,
                Size = size,
            };
            Handle.Ioctl(VfioIoctls.IommuMapDma, ref request, errno => errno switch
            {
                Errno.EEXIST => "The IOVA range is already mapped.",
                Errno.ENOMEM => "Mapped memory is pinned and counted as locked: raise the locked-memory limit (ulimit -l), or run as root.",
                Errno.ENOSPC => "The IOMMU has no room for more mappings (the dma_entry_limit of vfio_iommu_type1).",
                Errno.EFAULT => "The memory is not mapped in this process.",
                _ => null,
            });
            if (type.IsSpapr())
            {
                MarkDefaultWindowMade();
            }
            var mapping = new VfioDmaMapping(this, iova, size, hostAddress, readable, writable, region);
            _mappings.Add(mapping);
            return mapping;
        }
    }

    /// <summary>VFIO_IOMMU_UNMAP_DMA of exactly the range a mapping covers.</summary>
    public void UnmapDma(VfioDmaMapping mapping)
    {
        lock (_gate)
        {
            if (mapping.Container != this || !_mappings.Contains(mapping))
            {
                throw new KvmPSException("VfioDmaMappingNotFound", ErrorKind.ObjectNotFound,
                    $"{mapping} is not a DMA mapping of VFIO container {Id} (already removed?).");
            }
            ThrowIfDisposed();
            var request = new VfioDmaUnmapArg { Argsz = Argsz<VfioDmaUnmapArg>(), Iova = mapping.Iova, Size = mapping.Size };
            Handle.Ioctl(VfioIoctls.IommuUnmapDma, ref request);
            if (IommuType?.IsSpapr() == true)
            {
                MarkDefaultWindowMade();
            }
            _mappings.Remove(mapping);
            mapping.IsUnmapped = true;
        }
    }

    private VfioIommuType RequireIommu(string what)
    {
        ThrowIfDisposed();
        return IommuType ?? throw KvmPSException.InvalidOperation("VfioIommuNotSet",
            $"VFIO container {Id} has no IOMMU type yet, which {what} needs: attach a group (Add-VfioGroup), then set the type (Set-VfioIommu).");
    }

    private void RequireSpaprV2(string what)
    {
        VfioIommuType type = RequireIommu(what);
        if (type != VfioIommuType.SpaprTceV2)
        {
            throw new KvmPSException("VfioRequiresSpaprTceV2", ErrorKind.NotImplemented,
                $"{char.ToUpperInvariant(what[0])}{what[1..]} exists only for the VFIO_SPAPR_TCE_v2_IOMMU type; container {Id} uses {KvmNames.KernelName(type)}.");
        }
    }

    private int HostPageShift => BitOperations.TrailingZeroCount((uint)Kernel.PageSize);

    private static void CheckRangeShape(ulong hostAddress, ulong size)
    {
        if (size == 0)
        {
            throw KvmPSException.InvalidArgument("VfioDmaMappingEmpty", "A DMA mapping needs a non-zero size.");
        }
        if (hostAddress + size < hostAddress)
        {
            throw KvmPSException.InvalidArgument("VfioMemoryRangeWraps", $"0x{hostAddress:X}+0x{size:X} wraps around the address space.");
        }
    }

    /// <summary>Host memory ranges given to the kernel whole (registration, Type1 maps): PAGE_SIZE aligned, non-empty.</summary>
    private void CheckHostRange(ulong hostAddress, ulong size)
    {
        ulong page = (ulong)Kernel.PageSize;
        if (size == 0 || size % page != 0 || hostAddress % page != 0)
        {
            throw KvmPSException.InvalidArgument("VfioMemoryNotPageAligned",
                $"Address 0x{hostAddress:X} and size 0x{size:X} must be non-zero multiples of the {page}-byte host page size.");
        }
        if (hostAddress + size < hostAddress)
        {
            throw KvmPSException.InvalidArgument("VfioMemoryRangeWraps", $"0x{hostAddress:X}+0x{size:X} wraps around the address space.");
        }
    }

    /// <summary>Removing the last group returns the container to its initial state (vfio.h): IOMMU, windows, registrations, mappings.</summary>
    private void ForgetIommuState()
    {
        IommuType = null;
        foreach (VfioDmaWindow window in _windows)
        {
            window.IsRemoved = true;
        }
        foreach (VfioMemoryRegistration registration in _registrations)
        {
            registration.IsUnregistered = true;
        }
        foreach (VfioDmaMapping mapping in _mappings)
        {
            mapping.IsUnmapped = true;
        }
        _windows.Clear();
        _registrations.Clear();
        _mappings.Clear();
    }

    private static uint Argsz<T>() where T : unmanaged => (uint)Unsafe.SizeOf<T>();

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw KvmPSException.InvalidOperation("VfioContainerClosed", $"VFIO container {Id} has been closed.");
        }
    }

    public void Dispose()
    {
        VfioGroup[] groups;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            groups = _groups.ToArray();
            _groups.Clear();
            ForgetIommuState();
        }
        foreach (VfioGroup group in groups)
        {
            group.Close();
        }
        Handle.Dispose();
    }

    public override string ToString() => $"VFIO container {Id}";
}
