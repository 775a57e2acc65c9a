using System.Runtime.CompilerServices;
using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;
using KvmPS.Kvm;
using KvmPS.Vfio.Iommu;

namespace KvmPS.Vfio;

/// <summary>
/// A VFIO container (/dev/vfio/vfio): the IOMMU context that groups are attached to. It tracks what it asked the
/// kernel for (groups, mappings) so the documented rules are checked before each ioctl; what only one IOMMU model has
/// (sPAPR windows, v2 memory registrations) is kept by the backend VFIO_SET_IOMMU chose (<see cref="VfioIommuBackend"/>).
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
    private readonly List<VfioDmaMapping> _mappings = [];
    private VfioIommuBackend? _backend;
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
    internal static VfioContainer Open(KernelInterface kernel, int id = 1, string devicePath = DefaultDevicePath,
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
    public VfioIommuType? IommuType => _backend?.Type;

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
    public IReadOnlyList<VfioDmaWindow> DmaWindows
    {
        get { lock (_gate) { return (_backend as VfioSpaprTceBackend)?.Windows.OrderBy(w => w.StartAddress).ToArray() ?? []; } }
    }

    public IReadOnlyList<VfioMemoryRegistration> MemoryRegistrations
    {
        get { lock (_gate) { return (_backend as VfioSpaprTceV2Backend)?.Registrations.ToArray() ?? []; } }
    }

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
            _backend?.CheckCanAttach(groupId);
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
    /// When VFIO group attached"). The type's backend then does what the model needs: SPAPR_TCE (v1) is enabled with
    /// VFIO_IOMMU_ENABLE, as QEMU does, and sPAPR containers record their default 32-bit window as pending.
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
                    $"VFIO_SET_IOMMU is only available once a group is attached to the container (vfio.h); add a group to container {Id} first.");
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
            _backend = VfioIommuBackend.For(this, type);
            _backend.Initialize();
        }
    }

    /// <summary>VFIO_IOMMU_GET_INFO or VFIO_IOMMU_SPAPR_TCE_GET_INFO, whichever the container's IOMMU type answers.</summary>
    public VfioIommuInfo GetIommuInfo()
    {
        lock (_gate)
        {
            return RequireIommu("reading IOMMU information").GetInfo();
        }
    }

    /// <summary>VFIO_IOMMU_GET_INFO of a Type1 container (see <see cref="VfioType1Backend.QueryInfo"/>).</summary>
    public VfioType1IommuInfo GetType1Info()
    {
        lock (_gate)
        {
            VfioIommuBackend backend = RequireIommu("VFIO_IOMMU_GET_INFO");
            return backend is VfioType1Backend type1 ? type1.QueryInfo() : throw KvmPSException.InvalidOperation("VfioIommuTypeMismatch",
                $"VFIO_IOMMU_GET_INFO belongs to the Type1 IOMMU; container {Id} uses {KvmNames.KernelName(backend.Type)} (use its sPAPR information instead).");
        }
    }

    /// <summary>VFIO_IOMMU_SPAPR_TCE_GET_INFO of a sPAPR container, DDW details included when supported.</summary>
    public VfioSpaprTceIommuInfo GetSpaprTceInfo()
    {
        lock (_gate)
        {
            VfioIommuBackend backend = RequireIommu("VFIO_IOMMU_SPAPR_TCE_GET_INFO");
            return backend is VfioSpaprTceBackend spapr ? spapr.QueryInfo() : throw KvmPSException.InvalidOperation("VfioIommuTypeMismatch",
                $"VFIO_IOMMU_SPAPR_TCE_GET_INFO belongs to the sPAPR TCE IOMMU; container {Id} uses {KvmNames.KernelName(backend.Type)}.");
        }
    }

    /// <summary>VFIO_IOMMU_SPAPR_REGISTER_MEMORY of a VM memory region's backing memory.</summary>
    public VfioMemoryRegistration RegisterMemory(GuestMemoryRegion region) =>
        RegisterMemory((ulong)region.HostAddress, region.Size, region);

    /// <summary>VFIO_IOMMU_SPAPR_REGISTER_MEMORY (SPAPR_TCE_v2 only; see <see cref="VfioSpaprTceV2Backend.RegisterMemory"/>).</summary>
    public VfioMemoryRegistration RegisterMemory(ulong hostAddress, ulong size, GuestMemoryRegion? region = null)
    {
        lock (_gate)
        {
            return RequireSpaprV2("registering memory (VFIO_IOMMU_SPAPR_REGISTER_MEMORY)").RegisterMemory(hostAddress, size, region);
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

    /// <summary>VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY of exactly a registered range (see <see cref="VfioSpaprTceV2Backend.UnregisterMemory"/>).</summary>
    public void UnregisterMemory(ulong hostAddress, ulong size)
    {
        lock (_gate)
        {
            RequireSpaprV2("unregistering memory (VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY)").UnregisterMemory(hostAddress, size);
        }
    }

    /// <summary>VFIO_IOMMU_SPAPR_TCE_CREATE (SPAPR_TCE_v2 only; see <see cref="VfioSpaprTceV2Backend.CreateDmaWindow"/>).</summary>
    public VfioDmaWindow CreateDmaWindow(int pageShift, ulong windowSize, int? levels = null)
    {
        lock (_gate)
        {
            return RequireSpaprV2("creating a dynamic DMA window (VFIO_IOMMU_SPAPR_TCE_CREATE)").CreateDmaWindow(pageShift, windowSize, levels);
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
            RequireSpaprV2("removing a DMA window (VFIO_IOMMU_SPAPR_TCE_REMOVE)").RemoveDmaWindow(startAddress);
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
            VfioIommuBackend backend = RequireIommu("mapping memory for DMA (VFIO_IOMMU_MAP_DMA)");
            if (!readable && !writable)
            {
                throw KvmPSException.InvalidArgument("VfioDmaMappingNeedsAccess", "A DMA mapping must let the device read, write, or both.");
            }
            backend.CheckMapRange(hostAddress, size);
            new AddressRange(iova, size).ThrowIfWraps("VfioDmaRangeWraps", "IOVA range");
            ulong alignment = backend.MapAlignment(hostAddress, size, iova);
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
            backend.OnDmaIoctl();
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
            _backend?.OnDmaIoctl();
            _mappings.Remove(mapping);
            mapping.IsUnmapped = true;
        }
    }

    /// <summary>
    /// The container half of KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE: the window of this sPAPR container that can back
    /// <paramref name="table"/> (see <see cref="VfioSpaprTceBackend.PrepareKvmTceLink"/>).
    /// </summary>
    internal VfioDmaWindow PrepareKvmTceLink(VfioGroup group, Kvm.Ppc.SpaprTceWindow table)
    {
        lock (_gate)
        {
            VfioIommuBackend backend = RequireIommu("linking IOMMU group " + group.Id + " to a KVM TCE table (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE)");
            return backend is VfioSpaprTceBackend spapr ? spapr.PrepareKvmTceLink(group, table) : throw KvmPSException.InvalidOperation("VfioIommuTypeMismatch",
                $"KVM TCE tables link to groups of a sPAPR TCE container; container {Id} uses {KvmNames.KernelName(backend.Type)}.");
        }
    }

    /// <summary>The first of this container's DMA mappings that <paramref name="match"/> accepts (for a backend, under the lock).</summary>
    internal VfioDmaMapping? FindMapping(Func<VfioDmaMapping, bool> match) => _mappings.FirstOrDefault(match);

    /// <summary>Drops the mappings the kernel dropped with a window (for a backend, under the lock).</summary>
    internal void ForgetMappings(Func<VfioDmaMapping, bool> match)
    {
        foreach (VfioDmaMapping mapping in _mappings.Where(match).ToArray())
        {
            _mappings.Remove(mapping);
            mapping.IsUnmapped = true;
        }
    }

    private VfioIommuBackend RequireIommu(string what)
    {
        ThrowIfDisposed();
        return _backend ?? throw KvmPSException.InvalidOperation("VfioIommuNotSet",
            $"VFIO container {Id} has no IOMMU type yet, which {what} needs: attach a group, then set the type (VFIO_SET_IOMMU).");
    }

    /// <summary>Memory preregistration and dynamic DMA windows exist only on the SPAPR_TCE_v2 backend.</summary>
    private VfioSpaprTceV2Backend RequireSpaprV2(string what)
    {
        VfioIommuBackend backend = RequireIommu(what);
        return backend as VfioSpaprTceV2Backend ?? throw new KvmPSException("VfioRequiresSpaprTceV2", ErrorKind.NotImplemented,
            $"{char.ToUpperInvariant(what[0])}{what[1..]} exists only for the VFIO_SPAPR_TCE_v2_IOMMU type; container {Id} uses {KvmNames.KernelName(backend.Type)}.");
    }

    /// <summary>Removing the last group returns the container to its initial state (vfio.h): IOMMU, windows, registrations, mappings.</summary>
    private void ForgetIommuState()
    {
        _backend?.Release();
        _backend = null;
        foreach (VfioDmaMapping mapping in _mappings)
        {
            mapping.IsUnmapped = true;
        }
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
