using KvmPS.Engine;
using KvmPS.Interop;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>
/// A virtual machine: its descriptor, memory slots, vCPUs and in-kernel devices. Disposing it stops the vCPUs,
/// closes every descriptor it owns and unmaps its memory.
/// </summary>
public sealed class KvmVm : IDisposable
{
    /// <summary>x86: where QEMU puts the three-page TSS that Intel VMX needs for real mode (api.txt, KVM_SET_TSS_ADDR).</summary>
    public const ulong X86TssAddress = 0xfffb_d000;

    private readonly object _gate = new();
    private readonly List<GuestMemoryRegion> _regions = [];
    private readonly List<KvmVcpu> _vcpus = [];
    private readonly HashSet<int> _vcpuIds = [];

    /// <summary>The vCPU ids this VM allows (KVM_CAP_MAX_VCPU_ID or the host's maximum), asked once.</summary>
    private int? _vcpuIdLimit;
    private readonly List<IDisposable> _dependents = [];
    private VmRunner? _runner;
    private bool _disposed;
    private KvmStatsHandle? _statistics;

    internal KvmVm(KvmSystem system, int id, ulong machineType, KvmVmHandle handle)
    {
        System = system;
        Id = id;
        MachineType = machineType;
        Handle = handle;
        Created = DateTimeOffset.Now;
    }

    /// <summary>KVM_CREATE_VM, plus the x86 TSS address real-mode guests need on Intel hosts.</summary>
    public static KvmVm Create(KvmSystem system, int id, ulong machineType = 0, Func<int, string?>? hintFor = null)
    {
        KvmVmHandle handle = system.CreateVmHandle(machineType, hintFor);
        var vm = new KvmVm(system, id, machineType, handle);
        try
        {
            if (system.Kernel.Architecture == CpuArchitecture.X86_64 && vm.CheckExtension(KvmCapability.SetTssAddr) > 0)
            {
                handle.Ioctl(KvmVmIoctls.SetTssAddr, unchecked((nint)X86TssAddress));
            }
        }
        catch
        {
            vm.Dispose();
            throw;
        }
        return vm;
    }

    public int Id { get; }
    public KvmSystem System { get; }
    internal KernelInterface Kernel => System.Kernel;
    public ulong MachineType { get; }
    public DateTimeOffset Created { get; }
    internal KvmVmHandle Handle { get; }
    public bool IsDisposed => _disposed;

    /// <summary>True once KVM_CREATE_IRQCHIP succeeded or an interrupt-controller device was created.</summary>
    public bool HasIrqchip { get; private set; }

    /// <summary>Serialises the consumers of the VM's coalesced MMIO ring (one ring per VM, api.txt 4.116).</summary>
    internal object CoalescedRingGate { get; } = new();

    /// <summary>
    /// The size in bytes of each vCPU's dirty ring once KVM_CAP_DIRTY_LOG_RING (or _ACQ_REL) was enabled, else 0;
    /// vCPUs created afterwards map their ring.
    /// </summary>
    public ulong DirtyRingBytes { get; private set; }

    /// <summary>Serialises the harvesting of the VM's dirty rings and KVM_RESET_DIRTY_RINGS.</summary>
    internal object DirtyRingGate { get; } = new();

    /// <summary>True once KVM_CREATE_PIT2 succeeded.</summary>
    public bool HasPit { get; private set; }

    /// <summary>True once any vCPU of this VM has entered KVM_RUN (several setup ioctls must come before).</summary>
    public bool HasRunAnyVcpu => Vcpus.Any(v => v.RunCount > 0);

    public IReadOnlyList<GuestMemoryRegion> MemoryRegions { get { lock (_gate) { return _regions.ToArray(); } } }
    public IReadOnlyList<KvmVcpu> Vcpus { get { lock (_gate) { return _vcpus.ToArray(); } } }

    /// <summary>
    /// The engine that runs this VM with in-process devices (Start-KvmVm), created on first use. It outlives removal,
    /// so what a removed VM's guest printed stays readable.
    /// </summary>
    public VmRunner Runner
    {
        get
        {
            lock (_gate)
            {
                if (_runner is null)
                {
                    ThrowIfDisposed();
                    _runner = new VmRunner(this);
                }
                return _runner;
            }
        }
    }

    /// <summary>Where the engine has the VM: Created until Start-KvmVm, then Running, Halted, Stopped or Failed.</summary>
    public RunState State => _runner?.State ?? RunState.Created;

    /// <summary>Why the engine failed the VM (State Failed), or null.</summary>
    public string? FailureReason => _runner?.FailureReason;

    /// <summary>The status the guest reported through the debug-exit device ((v &lt;&lt; 1) | 1), or null.</summary>
    public uint? ExitStatus => _runner?.ExitStatus;

    /// <summary>KVM_IRQ_LINE (api.txt 4.25): sets the level of an in-kernel irqchip input (a GSI on x86).</summary>
    public void SetIrqLine(uint gsi, bool level)
    {
        RequireIrqchip("KVM_IRQ_LINE");
        var request = new KvmIrqLevel { Irq = gsi, Level = level ? 1u : 0u };
        Descriptor.Ioctl(KvmVmIoctls.IrqLine, ref request);
    }

    /// <summary>
    /// Sets an irqchip input like <see cref="SetIrqLine"/>, through KVM_IRQ_LINE_STATUS where the host has
    /// KVM_CAP_IRQ_INJECT_STATUS, whose status (in the irq field's union) says whether the interrupt was delivered.
    /// </summary>
    public IrqLineResult SetIrqLineReportingStatus(uint gsi, bool level)
    {
        RequireIrqchip("KVM_IRQ_LINE");
        if (CheckExtension(KvmCapability.IrqInjectStatus) <= 0)
        {
            SetIrqLine(gsi, level);
            return new IrqLineResult(Id, gsi, level, null);
        }
        var request = new KvmIrqLevel { Irq = gsi, Level = level ? 1u : 0u };
        Descriptor.Ioctl(KvmVmIoctls.IrqLineStatus, ref request);
        return new IrqLineResult(Id, gsi, level, unchecked((int)request.Irq));
    }

    /// <summary>Throws NoIrqchip unless KVM_CREATE_IRQCHIP (or an interrupt-controller device) gave the VM one.</summary>
    public void RequireIrqchip(string ioctl)
    {
        ThrowIfDisposed();
        if (!HasIrqchip)
        {
            throw new KvmPSException("NoIrqchip", ErrorKind.InvalidOperation,
                $"VM {Id} has no in-kernel irqchip, so {ioctl} has nothing to act on.",
                recommendedAction: "Create the in-kernel irqchip first (KVM_CREATE_IRQCHIP), before any vCPU.");
        }
    }

    /// <summary>The VM descriptor, for ioctls that the architecture-specific parts of the object model issue.</summary>
    internal KvmVmHandle Descriptor
    {
        get
        {
            ThrowIfDisposed();
            return Handle;
        }
    }

    /// <summary>KVM_CHECK_EXTENSION on the VM where KVM_CAP_CHECK_EXTENSION_VM allows it (api.txt 4.4), else on /dev/kvm.</summary>
    public int CheckExtension(KvmCapability capability)
    {
        ThrowIfDisposed();
        return System.CheckExtension(KvmCapability.CheckExtensionVm) > 0
            ? (int)Handle.Ioctl(KvmSystemIoctls.CheckExtension, (nint)(int)capability)
            : System.CheckExtension(capability);
    }

    /// <summary>Throws the "host does not support" error unless the capability is present; returns its value.</summary>
    public int RequireCapability(KvmCapability capability, string what)
    {
        int value = CheckExtension(capability);
        return value > 0 ? value : throw KvmPSException.NotSupportedByHost(what, KvmNames.KernelName(capability), Kernel.Architecture);
    }

    /// <summary>KVM_ENABLE_CAP on the VM (api.txt 4.37, needs KVM_CAP_ENABLE_CAP_VM).</summary>
    public unsafe void EnableCapability(KvmCapability capability, ReadOnlySpan<ulong> args = default, uint flags = 0)
    {
        RequireCapability(KvmCapability.EnableCapVm, "KVM_ENABLE_CAP on a VM");
        RequireCapability(capability, $"enabling {KvmNames.KernelName(capability)}");
        KvmEnableCap request = KvmEnableCap.For((uint)capability, args, flags);
        Handle.Ioctl(KvmVmIoctls.EnableCap, ref request, errno => EnableCapHint.For(errno, capability, "VM"));
        if (capability is KvmCapability.DirtyLogRing or KvmCapability.DirtyLogRingAcqRel && args.Length > 0)
        {
            DirtyRingBytes = args[0];
        }
    }

    /// <summary>The kernel's binary statistics of the VM (KVM_GET_STATS_FD), none where the host lacks KVM_CAP_BINARY_STATS_FD.</summary>
    public IReadOnlyList<KernelStatistic> GetKernelStatistics()
    {
        KvmStatsHandle? statistics;
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_statistics is null && System.CheckExtension(KvmCapability.BinaryStatsFd) > 0)
            {
                _statistics = KernelStatistics.Open(Handle);
                _dependents.Add(_statistics);
            }
            statistics = _statistics;
        }
        return statistics is null ? [] : KernelStatistics.Read(statistics);
    }

    /// <summary>KVM_CREATE_IRQCHIP (api.txt 4.24).</summary>
    public void CreateIrqchip()
    {
        ThrowIfDisposed();
        RequireCapability(KvmCapability.Irqchip, "an in-kernel interrupt controller");
        if (HasIrqchip)
        {
            throw new KvmPSException("IrqchipExists", ErrorKind.ResourceExists, $"VM {Id} already has an in-kernel irqchip.",
                recommendedAction: "Use the VM's irqchip as it is; a VM has at most one.");
        }
        if (Kernel.Architecture == CpuArchitecture.X86_64 && Vcpus.Count > 0)
        {
            // x86 refuses KVM_CREATE_IRQCHIP once a vCPU exists (api.txt 4.24: the LAPICs are created with the vCPUs).
            throw new KvmPSException("IrqchipAfterVcpus", ErrorKind.InvalidOperation,
                $"VM {Id} already has {Vcpus.Count} vCPU(s); on x86 the in-kernel irqchip must be created before any vCPU.",
                recommendedAction: "Create a new VM and its irqchip before its vCPUs.");
        }
        Handle.Ioctl(KvmVmIoctls.CreateIrqchip, 0, errno => errno == Errno.EEXIST ? "This VM already has an in-kernel irqchip." : null);
        HasIrqchip = true;
    }

    /// <summary>
    /// KVM_CREATE_PIT2 (api.txt 4.57): the in-kernel i8254 timer, after KVM_CREATE_IRQCHIP. <paramref name="speakerDummy"/>
    /// sets KVM_PIT_SPEAKER_DUMMY (port 0x61 reads as a silent speaker instead of exiting to userspace).
    /// </summary>
    public void CreatePit2(bool speakerDummy = false)
    {
        ThrowIfDisposed();
        RequireCapability(KvmCapability.Pit2, "an in-kernel PIT (KVM_CREATE_PIT2)");
        var config = new KvmPitConfig { Flags = speakerDummy ? KvmPitConfig.SpeakerDummy : 0 };
        Handle.Ioctl(KvmVmIoctls.CreatePit2, ref config, errno => errno switch
        {
            Errno.EEXIST => "This VM already has an in-kernel PIT.",
            Errno.ENOENT or Errno.EINVAL => "Create the in-kernel irqchip first (KVM_CREATE_IRQCHIP); the PIT delivers its interrupt through it.",
            _ => null,
        });
        HasPit = true;
    }

    /// <summary>KVM_CREATE_DEVICE (api.txt 4.80); the device lives as long as the VM.</summary>
    public KvmDevice CreateDevice(uint deviceType, string deviceName, bool isInterruptController = false, Func<int, string?>? hintFor = null)
    {
        ThrowIfDisposed();
        RequireCapability(KvmCapability.DeviceCtrl, "KVM_CREATE_DEVICE");
        var request = new KvmCreateDevice { Type = deviceType };
        Handle.Ioctl(KvmVmIoctls.CreateDevice, ref request, hintFor ?? (errno => errno == Errno.ENODEV
            ? $"The host's KVM does not implement device type {deviceName} ({deviceType})." : null));
        var device = new KvmDevice(this, deviceType, deviceName, FileDescriptorHandle.Adopt<KvmDeviceHandle>(Kernel, (int)request.Fd));
        try
        {
            AddDependent(device);
        }
        catch
        {
            device.Dispose();   // the VM was removed meanwhile
            throw;
        }
        HasIrqchip |= isInterruptController;
        return device;
    }

    /// <summary>Ties an object's lifetime to the VM (a TCE table, a device): it is disposed before the VM closes.</summary>
    public void AddDependent(IDisposable dependent)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            _dependents.Add(dependent);
        }
    }

    public void RemoveDependent(IDisposable dependent)
    {
        lock (_gate)
        {
            _dependents.Remove(dependent);
        }
    }

    public IReadOnlyList<T> Dependents<T>() { lock (_gate) { return _dependents.OfType<T>().ToArray(); } }

    /// <summary>
    /// KVM_SET_USER_MEMORY_REGION for a new slot backed by fresh anonymous memory (api.txt 4.35). Size and guest
    /// address must be page-aligned and the slot below KVM_CAP_NR_MEMSLOTS; overlaps are left to the kernel,
    /// whose EEXIST is explained with the slot that overlaps.
    /// </summary>
    public GuestMemoryRegion AddMemoryRegion(ulong guestAddress, ulong size, int? slot = null, MemoryRegionFlags flags = MemoryRegionFlags.None) =>
        AddMemoryRegion(guestAddress, size, slot, flags, () => MemoryMapping.Anonymous(Kernel.Syscalls, size), ownsMemory: true);

    /// <summary>
    /// A memory slot backed by memory another object owns and keeps mapped (a powerpc RMA): the region does not
    /// unmap it when removed. The owner must remove the region before unmapping.
    /// </summary>
    internal GuestMemoryRegion AddMemoryRegion(ulong guestAddress, MemoryMapping backing, int? slot = null, MemoryRegionFlags flags = MemoryRegionFlags.None) =>
        AddMemoryRegion(guestAddress, backing.Length, slot, flags, () => backing, ownsMemory: false);

    /// <summary>
    /// KVM_SET_USER_MEMORY_REGION2 (Linux 6.8, api.rst 4.141) for a new slot backed by fresh anonymous memory and by
    /// <paramref name="guestMemfd"/> from <paramref name="guestMemfdOffset"/> (KVM_MEM_GUEST_MEMFD): memory the
    /// VM's attributes make private comes from the guest_memfd, shared memory from the anonymous mapping.
    /// </summary>
    public GuestMemoryRegion AddMemoryRegion(ulong guestAddress, ulong size, KvmGuestMemfd guestMemfd, ulong guestMemfdOffset = 0,
        int? slot = null, MemoryRegionFlags flags = MemoryRegionFlags.None)
    {
        ArgumentNullException.ThrowIfNull(guestMemfd);
        RequireCapability(KvmCapability.UserMemory2, "memory slots with a guest_memfd (KVM_SET_USER_MEMORY_REGION2)");
        guestMemfd.RequireUsableBy(this);
        if (guestMemfdOffset % (ulong)Kernel.PageSize != 0 || guestMemfdOffset > guestMemfd.Size || size > guestMemfd.Size - guestMemfdOffset)
        {
            throw KvmPSException.InvalidArgument("InvalidGuestMemfdRange",
                $"0x{size:X} bytes from offset 0x{guestMemfdOffset:X} do not fit the 0x{guestMemfd.Size:X}-byte guest_memfd at a page-aligned offset.");
        }
        return AddMemoryRegion(guestAddress, size, slot, flags | MemoryRegionFlags.GuestMemfd,
            () => MemoryMapping.Anonymous(Kernel.Syscalls, size), ownsMemory: true, (guestMemfd, guestMemfdOffset));
    }

    private GuestMemoryRegion AddMemoryRegion(ulong guestAddress, ulong size, int? slot, MemoryRegionFlags flags, Func<MemoryMapping> backing, bool ownsMemory,
        (KvmGuestMemfd File, ulong Offset)? guestMemfd = null)
    {
        ThrowIfDisposed();
        ulong page = (ulong)Kernel.PageSize;
        if (size == 0 || size % page != 0)
        {
            throw KvmPSException.InvalidArgument("InvalidMemoryRegionSize",
                $"Memory region size 0x{size:X} must be a non-zero multiple of the {page}-byte page size (api.txt 4.35).");
        }
        if (guestAddress % page != 0)
        {
            throw KvmPSException.InvalidArgument("InvalidGuestAddress",
                $"Guest address 0x{guestAddress:X} must be aligned to the {page}-byte page size (api.txt 4.35).");
        }
        new AddressRange(guestAddress, size).ThrowIfWraps("InvalidGuestAddress", "Guest range");
        if (flags.HasFlag(MemoryRegionFlags.ReadOnly))
        {
            RequireCapability(KvmCapability.ReadonlyMem, "read-only memory slots");
        }
        lock (_gate)
        {
            ThrowIfDisposed();   // removal may have begun since the check above; a slot added now would never be released
            int maxSlots = System.MaxMemorySlots();
            int chosen = slot ?? Enumerable.Range(0, maxSlots).FirstOrDefault(s => _regions.All(r => r.Slot != s), -1);
            if (chosen < 0 || chosen >= maxSlots)
            {
                throw KvmPSException.InvalidArgument("InvalidMemorySlot", slot is null
                    ? $"All {maxSlots} memory slots of VM {Id} are in use; remove a region first."
                    : $"Slot {chosen} is out of range: this host allows slots 0..{maxSlots - 1} (KVM_CAP_NR_MEMSLOTS).");
            }
            if (_regions.FirstOrDefault(r => r.Slot == chosen) is { } taken)
            {
                throw new KvmPSException("MemorySlotInUse", ErrorKind.ResourceExists,
                    $"Slot {chosen} of VM {Id} already maps 0x{taken.GuestAddress:X}-0x{taken.EndAddress:X}; remove it first or pick another slot.");
            }
            MemoryMapping memory = backing();
            var request = new KvmUserspaceMemoryRegion
            {
                Slot = (uint)chosen,
                Flags = (uint)flags,
                GuestPhysAddr = guestAddress,
                MemorySize = size,
                UserspaceAddr = (ulong)memory.Address,
            };
            try
            {
                if (guestMemfd is (KvmGuestMemfd file, ulong offset))
                {
                    SetMemoryRegion2(request, file, offset);
                }
                else
                {
                    Handle.Ioctl(KvmVmIoctls.SetUserMemoryRegion, ref request, errno => MemoryRegionHint(errno, guestAddress, size));
                }
            }
            catch
            {
                if (ownsMemory)
                {
                    memory.Dispose();
                }
                throw;
            }
            var region = new GuestMemoryRegion(this, chosen, guestAddress, size, flags, memory, ownsMemory);
            _regions.Add(region);
            return region;
        }
    }

    /// <summary>The same slot as <paramref name="region"/> through kvm_userspace_memory_region2, the guest_memfd held for the call.</summary>
    private void SetMemoryRegion2(KvmUserspaceMemoryRegion region, KvmGuestMemfd file, ulong offset)
    {
        bool added = false;
        try
        {
            file.Handle.DangerousAddRef(ref added);
            var request = new KvmUserspaceMemoryRegion2
            {
                Slot = region.Slot,
                Flags = region.Flags,
                GuestPhysAddr = region.GuestPhysAddr,
                MemorySize = region.MemorySize,
                UserspaceAddr = region.UserspaceAddr,
                GuestMemfdOffset = offset,
                GuestMemfd = (uint)file.Handle.Number,
            };
            Handle.Ioctl(KvmVmIoctls.SetUserMemoryRegion2, ref request, errno => errno == Errno.EINVAL
                ? "KVM refuses the guest_memfd for this slot (another VM's, a range already bound to another slot, or flags this VM type does not allow)."
                : MemoryRegionHint(errno, region.GuestPhysAddr, region.MemorySize));
        }
        finally
        {
            if (added)
            {
                file.Handle.DangerousRelease();
            }
        }
    }

    private string? MemoryRegionHint(int errno, ulong guestAddress, ulong size) => errno switch
    {
        Errno.EEXIST when _regions.FirstOrDefault(r => r.Overlaps(guestAddress, size)) is { } other =>
            $"Guest range 0x{guestAddress:X}-0x{guestAddress + size - 1:X} overlaps slot {other.Slot} (0x{other.GuestAddress:X}-0x{other.EndAddress:X}); memory slots must not overlap.",
        Errno.EEXIST => "The guest range overlaps an existing memory slot; memory slots must not overlap.",
        Errno.EINVAL => "The kernel rejected the region: check alignment, the slot number, the flags (read-only needs KVM_CAP_READONLY_MEM) and the address range the architecture allows.",
        _ => null,
    };

    /// <summary>Deletes the slot (memory_size 0, api.txt 4.35) and unmaps its memory.</summary>
    public void RemoveMemoryRegion(GuestMemoryRegion region)
    {
        lock (_gate)
        {
            if (!_regions.Remove(region))
            {
                throw KvmPSException.InvalidOperation("MemoryRegionNotFound", $"{region} is not a memory region of VM {Id} (already removed?).");
            }
            if (!_disposed)
            {
                var request = new KvmUserspaceMemoryRegion { Slot = (uint)region.Slot, GuestPhysAddr = region.GuestAddress };
                Handle.Ioctl(KvmVmIoctls.SetUserMemoryRegion, ref request);
            }
            region.ReleaseMemory();
        }
    }

    /// <summary>The region holding the whole guest range, or an error naming the address.</summary>
    public GuestMemoryRegion RegionFor(ulong guestAddress, ulong length)
    {
        ThrowIfDisposed();
        return MemoryRegions.FirstOrDefault(r => r.Contains(guestAddress, length))
            ?? throw KvmPSException.InvalidArgument("GuestAddressNotMapped",
                $"Guest range 0x{guestAddress:X}+{length} is not inside one memory region of VM {Id}. " +
                $"Its regions: {(MemoryRegions.Count == 0 ? "none" : string.Join(", ", MemoryRegions.Select(r => $"0x{r.GuestAddress:X}-0x{r.EndAddress:X}")))}.");
    }

    public byte[] ReadGuestMemory(ulong guestAddress, int length) => RegionFor(guestAddress, (ulong)length).Read(guestAddress, length);

    public void WriteGuestMemory(ulong guestAddress, ReadOnlySpan<byte> data) => RegionFor(guestAddress, (ulong)data.Length).Write(guestAddress, data);

    /// <summary>The most bytes taken from a source that reports no size (a device, pipe or /proc file).</summary>
    public const int UnsizedSourceLimit = 64 << 20;

    /// <summary>
    /// Writes a file's contents at <paramref name="guestAddress"/>. The read is bounded by the target region before
    /// it starts: a regular file's size is checked first; a source without a size (/dev/zero, a pipe) is read into a
    /// staging buffer no larger than the room left in the region (and <see cref="UnsizedSourceLimit"/>), and fails
    /// without writing anything if it supplies more.
    /// </summary>
    public void WriteGuestMemoryFromFile(ulong guestAddress, string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        GuestMemoryRegion region = RegionFor(guestAddress, Math.Max(1ul, (ulong)file.Length));
        ulong room = region.EndAddress - guestAddress + 1;
        if (file.Length > 0)
        {
            region.WriteFrom(guestAddress, file, (ulong)file.Length);
            return;
        }
        int limit = (int)Math.Min(room, UnsizedSourceLimit);
        byte[] staging = new byte[limit];
        int read = file.ReadAtLeast(staging, limit, throwOnEndOfStream: false);
        if (read == limit && file.ReadByte() >= 0)
        {
            throw KvmPSException.InvalidArgument("SourceLargerThanTarget", room <= UnsizedSourceLimit
                ? $"{path} supplies more than the {room} bytes from 0x{guestAddress:X} to the end of {region}; nothing was written."
                : $"{path} reports no size and supplies more than {UnsizedSourceLimit} bytes, the most taken from such a source; nothing was written.");
        }
        region.Write(guestAddress, staging.AsSpan(0, read));
    }

    /// <summary>
    /// Runs <paramref name="action"/> while <paramref name="region"/> is still one of this VM's slots: removal takes
    /// the same gate, so it cannot change the slot under the call.
    /// </summary>
    internal void WhileCurrent(GuestMemoryRegion region, Func<Exception> removed, Action action)
    {
        lock (_gate)
        {
            if (_disposed || !_regions.Contains(region))
            {
                throw removed();
            }
            action();
        }
    }

    /// <summary>KVM_CREATE_VCPU; the vCPU's own thread issues its vCPU ioctls from the first one on (api.txt section 1).</summary>
    public KvmVcpu CreateVcpu(int? vcpuId = null)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            int maxId = _vcpuIdLimit ??= Math.Max(CheckExtension(KvmCapability.MaxVcpuId), System.MaxVcpus());
            int id = vcpuId ?? Enumerable.Range(0, maxId).FirstOrDefault(i => !_vcpuIds.Contains(i), -1);
            if (id < 0 || id >= maxId)
            {
                throw KvmPSException.InvalidArgument("InvalidVcpuId", vcpuId is null
                    ? $"VM {Id} already has the maximum of {maxId} vCPUs."
                    : $"vCPU id {id} is out of range: this host allows ids 0..{maxId - 1} (KVM_CAP_MAX_VCPU_ID).");
            }
            if (_vcpuIds.Contains(id))
            {
                throw new KvmPSException("VcpuIdInUse", ErrorKind.ResourceExists, $"VM {Id} already has vCPU {id}.");
            }
            KvmVcpu vcpu = KvmVcpu.Create(this, id);
            _vcpus.Add(vcpu);
            _vcpuIds.Add(id);
            return vcpu;
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw KvmPSException.InvalidOperation("VmRemoved", $"VM {Id} has been removed.");
        }
    }

    public void Dispose()
    {
        KvmVcpu[] vcpus;
        IDisposable[] dependents;
        GuestMemoryRegion[] regions;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            vcpus = _vcpus.ToArray();
            dependents = _dependents.ToArray();
            regions = _regions.ToArray();
            _vcpus.Clear();
            _vcpuIds.Clear();
            _dependents.Clear();
            _regions.Clear();
        }
        // Every vCPU is kicked out of KVM_RUN before any is waited for, and the wait has one deadline for all: a
        // guest never holds up removal. A vCPU still in the guest then closes its descriptor when KVM_RUN returns;
        // its fd keeps the kernel's struct kvm alive until then (kvm_vm_ioctl_create_vcpu takes a reference).
        foreach (KvmVcpu vcpu in vcpus)
        {
            vcpu.BeginDispose();
        }
        DateTime deadline = DateTime.UtcNow + KvmVcpu.StopTimeout;
        foreach (KvmVcpu vcpu in vcpus)
        {
            vcpu.EndDispose(deadline);
        }
        _runner?.Dispose();
        foreach (IDisposable dependent in Enumerable.Reverse(dependents))
        {
            dependent.Dispose();
        }
        Handle.Dispose();
        Architecture.Dispose();
        foreach (GuestMemoryRegion region in regions)
        {
            region.ReleaseMemory();
        }
    }

    /// <summary>State only this VM's architecture has (arm64's device addresses).</summary>
    internal ArchitectureSlot Architecture { get; } = new();

    public override string ToString() => $"VM {Id}";
}
