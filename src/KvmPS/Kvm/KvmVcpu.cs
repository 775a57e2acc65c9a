using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm.Exits;
using KvmPS.Kvm.Registers;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>
/// A vCPU, driven only from its own thread (which starts with its first call). kvm_run is mapped once and read in place.
/// </summary>
public sealed class KvmVcpu : IDisposable
{
    private readonly VcpuThread _thread;
    private KvmVcpuHandle _handle = null!;
    private KvmStatsHandle? _statistics;
    private bool _statisticsProbed;
    private MemoryMapping _runMapping = null!;
    private MemoryMapping? _dirtyRing;
    private KvmRunOffsets _runOffsets = null!;
    private readonly object _kickGate = new();
    private readonly Lazy<(IoctlDefinition<IKvmVcpuDescriptor> Get, IoctlDefinition<IKvmVcpuDescriptor> Set, RegisterLayout Layout)?> _generalBank;
    private readonly Lazy<(IoctlDefinition<IKvmVcpuDescriptor> Get, IoctlDefinition<IKvmVcpuDescriptor> Set, RegisterLayout Layout)?> _specialBank;
    private int _runCount;
    private long _callSequence;
    private long _activeCall;
    private bool _runAdmitted;
    private bool _disposed;
    private bool _syncRegisters;
    private bool _syncedCopyFresh;

    /// <summary>How long removal waits for a kicked vCPU to leave KVM_RUN before it closes what it can without it.</summary>
    internal static readonly TimeSpan StopTimeout = TimeSpan.FromMilliseconds(500);

    private KvmVcpu(KvmVm vm, int id, VcpuThread thread)
    {
        Vm = vm;
        Id = id;
        _thread = thread;
        _generalBank = new(() => DescribeBank(RegisterBank.General, vm.Kernel.Architecture));
        _specialBank = new(() => DescribeBank(RegisterBank.Special, vm.Kernel.Architecture));
    }

    internal static KvmVcpu Create(KvmVm vm, int id)
    {
        var thread = new VcpuThread($"KvmPS VM {vm.Id} vCPU {id}", vm.Kernel.Syscalls.GetThreadId);
        var vcpu = new KvmVcpu(vm, id, thread);
        // KVM_CREATE_VCPU runs on the creating thread; the vCPU's own thread starts with its first call (see VcpuThread).
        try
        {
            long fd = vm.Handle.Ioctl(KvmVmIoctls.CreateVcpu, id, errno => errno switch
            {
                Errno.EEXIST => $"vCPU {id} already exists in VM {vm.Id}.",
                Errno.EINVAL => $"vCPU id {id} is not valid for this host (see KVM_CAP_MAX_VCPU_ID), or the VM cannot take more vCPUs.",
                _ => null,
            });
            vcpu._handle = FileDescriptorHandle.Adopt<KvmVcpuHandle>(vm.Kernel, (int)fd);
            vcpu._runMapping = MemoryMapping.OfDescriptor(vcpu._handle, "mmap(kvm_run)", (ulong)vm.System.VcpuMmapSize,
                LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE);
            vcpu._runOffsets = KvmRunOffsets.For(vm.Kernel.Architecture);
            if ((ulong)vcpu._runOffsets.Size > vcpu._runMapping.Length)
            {
                throw new InvalidOperationException($"KVM_GET_VCPU_MMAP_SIZE ({vcpu._runMapping.Length}) is smaller than struct kvm_run ({vcpu._runOffsets.Size}).");
            }
            if (vm.DirtyRingBytes > 0)
            {
                // api.rst 8.29: each vCPU's ring is mmapped from its descriptor at KVM_DIRTY_LOG_PAGE_OFFSET pages.
                vcpu._dirtyRing = MemoryMapping.OfDescriptor(vcpu._handle, "mmap(dirty ring)", vm.DirtyRingBytes,
                    LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE, (long)LinuxConstants.KvmDirtyLogPageOffset * vm.Kernel.PageSize);
            }
        }
        catch
        {
            vcpu.Dispose();
            throw;
        }
        return vcpu;
    }

    public KvmVm Vm { get; }
    public int VmId => Vm.Id;
    public int Id { get; }
    public int RunCount => Volatile.Read(ref _runCount);
    public VcpuExit? LastExit { get; private set; }

    /// <summary>Where the engine's run loop (Start-KvmVm) has this vCPU; Created until the VM is started.</summary>
    public RunState State { get => (RunState)Volatile.Read(ref _state); internal set => Volatile.Write(ref _state, (int)value); }

    private int _state;
    public bool IsDisposed => _disposed;

    /// <summary>The managed id of the thread that created the vCPU and issues all its ioctls.</summary>
    public int ThreadId => _thread.ManagedThreadId;

    /// <summary>
    /// Runs <paramref name="work"/> with the vCPU descriptor on the vCPU's own thread; for the
    /// architecture-specific vCPU ioctls (ARM VCPU_INIT, s390 VCPU_FAULT, ONE_REG, ...).
    /// </summary>
    /// <remarks>
    /// A call never waits behind a guest: while a KVM_RUN is admitted (<see cref="IsRunning"/>) every other call
    /// fails at once with VcpuBusy, which says how to stop the run. Admission and queueing happen under one lock, so
    /// a call that was admitted runs next on the thread.
    /// </remarks>
    internal T OnVcpuThread<T>(Func<KvmVcpuHandle, T> work, [System.Runtime.CompilerServices.CallerMemberName] string caller = "")
    {
        VcpuThread.Pending<T> pending;
        lock (_kickGate)
        {
            ThrowIfDisposed();
            if (_runAdmitted && !_thread.IsCurrent)
            {
                throw BusyError(caller);
            }
            _syncedCopyFresh = false;   // any other call may change the registers behind kvm_run's copy
            pending = _thread.Post(() => work(_handle));
        }
        return pending.Wait();
    }

    /// <summary>True while a KVM_RUN of this vCPU is queued or in progress.</summary>
    public bool IsRunning { get { lock (_kickGate) { return _runAdmitted; } } }

    private KvmPSException BusyError(string what) => new("VcpuBusy", ErrorKind.ResourceBusy,
        $"{this} is running a guest (KVM_RUN, from the VM's engine or from a run on another thread or runspace), so {what} was refused: " +
        "vCPU calls never wait for a guest; stop the run, or remove the VM, which kicks the vCPU out of the guest.");

    /// <summary>
    /// One KVM_RUN (api.txt 4.10); returns the decoded exit. With a timeout, a guest that does not exit in time is
    /// kicked out (see <see cref="Kick"/>) and the call returns an interrupted exit.
    /// </summary>
    public VcpuExit Run(TimeSpan? timeout = null) => Run(timeout, cancelled: null);

    /// <summary>
    /// One KVM_RUN that also ends (interrupted) once <paramref name="cancelled"/> returns true, polled every
    /// <see cref="CancelPoll"/>: a Ctrl+C that lands between two runs of a sequence, when there is nothing to kick
    /// yet, still ends the next one.
    /// </summary>
    public VcpuExit Run(TimeSpan? timeout, Func<bool>? cancelled)
    {
        long call = Interlocked.Increment(ref _callSequence);
        VcpuThread.Pending<VcpuExit> pending;
        lock (_kickGate)
        {
            ThrowIfDisposed();
            if (_runAdmitted)
            {
                throw BusyError("a run");
            }
            _runAdmitted = true;
            try
            {
                pending = _thread.Post(() =>
                {
                    try
                    {
                        return RunOnThread(_handle, call);
                    }
                    finally
                    {
                        lock (_kickGate)
                        {
                            _runAdmitted = false;
                        }
                    }
                });
            }
            catch
            {
                _runAdmitted = false;
                throw;
            }
        }
        using Timer? timer = timeout is TimeSpan limit
            ? new Timer(_ => KickCall(call), null, limit, TimeSpan.FromMilliseconds(100))
            : null;
        using Timer? cancelTimer = cancelled is null
            ? null
            : new Timer(_ => { if (cancelled()) { KickCall(call); } }, null, TimeSpan.Zero, CancelPoll);
        return pending.Wait();
    }

    private static readonly TimeSpan CancelPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Starts the run loop of the engine on the vCPU's thread and returns at once. The loop holds the run admission
    /// until it ends, so every other call on the vCPU fails at once with VcpuBusy, and <see cref="Kick"/> reaches it.
    /// </summary>
    internal void StartLoop(IVcpuLoopBody body)
    {
        long call = Interlocked.Increment(ref _callSequence);
        lock (_kickGate)
        {
            ThrowIfDisposed();
            if (_runAdmitted)
            {
                throw BusyError("starting the engine");
            }
            _runAdmitted = true;
            _syncedCopyFresh = false;
            try
            {
                _thread.Post(() =>
                {
                    LoopOnThread(body, call);
                    return true;
                });
            }
            catch
            {
                _runAdmitted = false;
                throw;
            }
        }
    }

    /// <summary>
    /// KVM_RUN until <paramref name="body"/> says stop. The kvm_run mapping and the descriptor are held for the whole
    /// loop, so an exit costs no lease, lookup or allocation. A kick that arrives between two runs is never lost:
    /// the stopper sets its flag before immediate_exit, and the loop clears immediate_exit before it reads the flag
    /// (api.txt 4.10: KVM_RUN returns EINTR at once while immediate_exit is set).
    /// </summary>
    private unsafe void LoopOnThread(IVcpuLoopBody body, long call)
    {
        Exception? error = null;
        bool added = false;
        try
        {
            lock (_kickGate)
            {
                ThrowIfDisposed();
                _activeCall = call;
            }
            using MappingLease lease = _runMapping.Lease();
            _ = lease.Slice(0, _runOffsets.Size);   // the page holds all of struct kvm_run
            byte* run = (byte*)lease.Address;
            KvmRunHeader* header = KvmRunOffsets.Header(run);
            _handle.DangerousAddRef(ref added);
            int fd = _handle.Number;
            uint request = KvmVcpuIoctls.Run.RequestOn(Vm.Kernel.Architecture);
            ISyscalls syscalls = Vm.Kernel.Syscalls;
            try
            {
                OpenStatisticsOnThread();
            }
            catch (KvmIoctlException)
            {
                // The statistics are an extra (Get-KvmStatistic shows none then); the guest runs without them.
            }
            body.OnStarted();
            while (true)
            {
                Volatile.Write(ref header->ImmediateExit, 0);
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _disposed) || body.StopRequested)
                {
                    break;
                }
                Interlocked.Increment(ref _runCount);
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                long result = syscalls.Ioctl(fd, request, 0);
                if (!body.OnExit(run, result, System.Diagnostics.Stopwatch.GetTimestamp() - start))
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
            lock (_kickGate)
            {
                _activeCall = 0;
                _runAdmitted = false;
            }
            body.OnEnded(error);
        }
    }

    /// <summary>
    /// Makes a KVM_RUN in progress return: sets kvm_run.immediate_exit (which KVM checks on entry) and signals the
    /// vCPU thread, whose pending signal ends the run with EINTR (api.txt 4.10, KVM_CAP_IMMEDIATE_EXIT). Safe from
    /// any thread, also while the vCPU is being removed; does nothing when the vCPU is not running.
    /// </summary>
    public void Kick() => KickCall(Interlocked.Read(ref _activeCall));

    private void KickCall(long call)
    {
        lock (_kickGate)
        {
            // _activeCall is non-zero only between RunOnThread's admission and the end of its KVM_RUN, and the
            // kvm_run mapping is closed on the vCPU thread after that, so the page is mapped here.
            if (call == 0 || call != _activeCall)
            {
                return;
            }
            SetImmediateExit(1);
            VcpuKickSignal.EnsureHandled();
            Vm.Kernel.Syscalls.SignalThread(_thread.NativeThreadId, LinuxConstants.SIGWINCH);
        }
    }

    private VcpuExit RunOnThread(KvmVcpuHandle handle, long call)
    {
        Interlocked.Increment(ref _runCount);
        lock (_kickGate)
        {
            ThrowIfDisposed();   // removal began after admission: do not enter the guest at all
            _activeCall = call;
        }
        bool sync = Volatile.Read(ref _syncRegisters);
        SetValidRegisters(sync ? SyncedSets : 0);
        long result;
        try
        {
            result = handle.TryIoctl(KvmVcpuIoctls.Run, 0);
        }
        finally
        {
            lock (_kickGate)
            {
                _activeCall = 0;
                SetImmediateExit(0);
            }
        }
        if (sync && result >= 0)
        {
            lock (_kickGate)
            {
                _syncedCopyFresh = true;
            }
        }
        if (result == -Errno.EINTR)
        {
            return LastExit = new VcpuExit(VmId, Id, (uint)KvmExitReason.Intr) { Interrupted = true };
        }
        if (result < 0)
        {
            throw new KvmIoctlException(KvmVcpuIoctls.Run.Name, (int)-result, RunHint((int)-result));
        }
        using MappingLease lease = _runMapping.Lease();
        return LastExit = VcpuExitDecoder.Decode(lease, _runOffsets, Vm.Kernel.Architecture, VmId, Id);
    }

    /// <summary>
    /// Runs <paramref name="read"/> on page <paramref name="pageOffset"/> of the vCPU's mmap (the pages after kvm_run:
    /// the coalesced MMIO ring at KVM_COALESCED_MMIO_PAGE_OFFSET), holding the mapping for the call.
    /// </summary>
    internal T OnMappedPage<T>(int pageOffset, MappedPageAccess<T> read)
    {
        int page = Vm.Kernel.PageSize;
        using MappingLease lease = _runMapping.Lease();
        return read(lease.Slice((ulong)pageOffset * (ulong)page, page));
    }

    /// <summary>The index of the next entry of this vCPU's dirty ring to harvest (userspace keeps it; api.rst 8.29).</summary>
    internal ulong DirtyRingFetch { get; set; }

    /// <summary>Runs <paramref name="access"/> on this vCPU's dirty ring, holding the mapping; null when the VM has none.</summary>
    internal T? OnDirtyRing<T>(MappedPageAccess<T> access) where T : class
    {
        if (_dirtyRing is null)
        {
            return null;
        }
        using MappingLease lease = _dirtyRing.Lease();
        return access(lease.Slice(0, (int)_dirtyRing.Length));
    }

    /// <summary>kvm_run.immediate_exit, which KVM_RUN checks on entry (api.rst 4.10 and section 5).</summary>
    private void SetImmediateExit(byte value)
    {
        using MappingLease lease = _runMapping.Lease();
        Volatile.Write(ref KvmRunOffsets.Header(lease).ImmediateExit, value);
    }

    /// <summary>
    /// Completes an I/O or MMIO exit's pending operation without running guest code: api.txt section 5 (kvm_run)
    /// says guest state is consistent only after KVM_RUN is re-entered, and immediate_exit makes that KVM_RUN
    /// finish the operation and return EINTR at once. Save/restore calls it before reading state.
    /// </summary>
    public void CompletePendingOperation() => OnVcpuThread(handle =>
    {
        if (RunCount == 0)
        {
            return false;
        }
        SetImmediateExit(1);
        try
        {
            long result = handle.TryIoctl(KvmVcpuIoctls.Run, 0);
            return result == -Errno.EINTR || result >= 0
                ? true
                : throw new KvmIoctlException(KvmVcpuIoctls.Run.Name, (int)-result, RunHint((int)-result));
        }
        finally
        {
            SetImmediateExit(0);
        }
    });

    private string? RunHint(int errno) => errno switch
    {
        Errno.EINVAL => "The vCPU is not ready to run: on ARM call KVM_ARM_VCPU_INIT first; check the registers and memory layout.",
        Errno.ENOEXEC => "The vCPU has not been initialised for this architecture (KVM_ARM_VCPU_INIT on ARM).",
        Errno.EFAULT => "The guest touched memory whose backing the kernel could not access.",
        Errno.ENOSPC => "No memory region covers the code the vCPU executes. " + (Vm.Kernel.Architecture == CpuArchitecture.X86_64
            ? "A new x86 vCPU starts at the reset vector 0xFFFFFFF0 (cs.base 0xFFFF0000 + rip 0xFFF0): add a memory region there, " +
              "or load code into a region and point cs.base/rip at it."
            : "Add a memory region at the address the vCPU starts from, or point its program counter at code inside a region."),
        _ => null,
    };

    /// <summary>Completes a pending read or hypercall when asked to, then runs once: Invoke-KvmVcpu.</summary>
    public VcpuExit RunOnce(byte[]? readData = null, ulong? hypercallReturn = null, TimeSpan? timeout = null)
    {
        CompletePending(readData, hypercallReturn);
        return Run(timeout);
    }

    private void CompletePending(byte[]? readData, ulong? hypercallReturn)
    {
        if (readData is not null)
        {
            CompleteRead(readData);
        }
        if (hypercallReturn is ulong value)
        {
            SetHypercallReturn(value);
        }
    }

    /// <summary>
    /// Invoke-KvmVcpu with -Count or -Until: completes a pending read or hypercall, then runs up to
    /// <paramref name="count"/> times, yielding each exit, and stops early after an exit whose reason is in
    /// <paramref name="until"/> or one that was interrupted (the timeout, which covers all runs, or Ctrl+C).
    /// </summary>
    public IEnumerable<VcpuExit> RunExits(int count, IReadOnlyCollection<KvmExitReason>? until, byte[]? readData = null,
        ulong? hypercallReturn = null, TimeSpan? timeout = null, Func<bool>? cancelled = null)
    {
        if (count < 1)
        {
            throw KvmPSException.InvalidArgument("InvalidCount", $"The number of runs must be at least 1; got {count}.");
        }
        return RunExitsIterator(count, until, readData, hypercallReturn, timeout is TimeSpan limit ? DateTime.UtcNow + limit : null, cancelled);
    }

    private IEnumerable<VcpuExit> RunExitsIterator(int count, IReadOnlyCollection<KvmExitReason>? until, byte[]? readData,
        ulong? hypercallReturn, DateTime? deadline, Func<bool>? cancelled)
    {
        for (int run = 0; run < count && cancelled?.Invoke() != true; run++)
        {
            TimeSpan? left = deadline is DateTime end ? TimeSpan.FromTicks(Math.Max((end - DateTime.UtcNow).Ticks, TimeSpan.TicksPerMillisecond)) : null;
            if (run == 0)
            {
                CompletePending(readData, hypercallReturn);
            }
            VcpuExit exit = Run(left, cancelled);
            yield return exit;
            if (exit.Interrupted || until?.Contains(exit.Reason) == true)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Supplies the data of a pending guest read (KVM_EXIT_IO with direction In, or an MMIO read); the kernel
    /// completes the instruction with it on the next KVM_RUN (api.txt section 5).
    /// </summary>
    public void CompleteRead(ReadOnlySpan<byte> data)
    {
        byte[] copy = data.ToArray();
        OnVcpuThread(_ =>
        {
            using MappingLease lease = _runMapping.Lease();
            switch (LastExit)
            {
                case IoExit { Direction: IoDirection.In } io when copy.Length == io.Size * (int)io.Count:
                    copy.CopyTo(lease.Slice(io.DataOffset, copy.Length));   // data_offset is checked against the mapping
                    break;
                case MmioExit { IsWrite: false } mmio when copy.Length == mmio.Length && copy.Length <= 8:
                    SetMmioData(ref _runOffsets.Member<KvmRunMmio>(lease), copy);
                    break;
                case IoExit { Direction: IoDirection.In } io:
                    throw KvmPSException.InvalidArgument("ReadDataLengthMismatch", $"The pending port read wants {io.Size * io.Count} bytes; got {copy.Length}.");
                case MmioExit { IsWrite: false } mmio:
                    throw KvmPSException.InvalidArgument("ReadDataLengthMismatch", $"The pending MMIO read wants {mmio.Length} bytes; got {copy.Length}.");
                default:
                    throw KvmPSException.InvalidOperation("NoPendingRead", $"vCPU {Id} of VM {VmId} has no pending port or MMIO read to complete (last exit: {LastExit?.KernelName ?? "none"}).");
            }
            return true;
        });
    }

    /// <summary>Writes the return value of a hypercall exit (hypercall.ret, papr_hcall.ret, or hyperv.u.hcall.result) for the next KVM_RUN.</summary>
    public void SetHypercallReturn(ulong value) => OnVcpuThread(_ =>
    {
        using MappingLease lease = _runMapping.Lease();
        switch (LastExit)
        {
            case PaprHcallExit:
                _runOffsets.Member<KvmRunPaprHcall>(lease).Ret = value;
                break;
            case HypercallExit:
                _runOffsets.Member<KvmRunHypercall>(lease).Ret = value;
                break;
            case HypervExit { Type: HypervExit.HcallType }:
                _runOffsets.Member<KvmHypervExit>(lease).U.Hcall.Result = value;
                break;
            case XenExit { Type: KvmXenExit.HcallType }:
                _runOffsets.Member<KvmXenExit>(lease).U.Hcall.Result = value;
                break;
            default:
                throw KvmPSException.InvalidOperation("NoPendingHypercall", $"vCPU {Id} of VM {VmId} is not stopped at a hypercall (last exit: {LastExit?.KernelName ?? "none"}).");
        }
        return true;
    });

    /// <summary>
    /// Answers a KVM_EXIT_X86_RDMSR or _WRMSR for the next KVM_RUN (api.rst section 5, kvm_run.msr): the value a
    /// read returns, or <paramref name="injectGp"/> to make the guest's RDMSR/WRMSR take #GP instead.
    /// </summary>
    public void SetMsrResult(ulong data, bool injectGp = false) => OnVcpuThread(_ =>
    {
        if (LastExit is not MsrExit exit)
        {
            throw KvmPSException.InvalidOperation("NoPendingMsrAccess", $"vCPU {Id} of VM {VmId} is not stopped at an MSR access (last exit: {LastExit?.KernelName ?? "none"}).");
        }
        using MappingLease lease = _runMapping.Lease();
        ref KvmRunMsr msr = ref _runOffsets.Member<KvmRunMsr>(lease);
        msr.Error = injectGp ? (byte)1 : (byte)0;
        if (!exit.IsWrite)
        {
            msr.Data = data;
        }
        return true;
    });

    private static unsafe void SetMmioData(ref KvmRunMmio mmio, ReadOnlySpan<byte> data)
    {
        fixed (byte* target = mmio.Data)
        {
            data.CopyTo(new Span<byte>(target, 8));
        }
    }

    /// <summary>
    /// The registers of one bank: from kvm_run's copy when <see cref="SyncRegisters"/> has KVM_RUN write it and nothing
    /// has happened to the vCPU since the exit, otherwise with KVM_GET_REGS / KVM_GET_SREGS.
    /// </summary>
    public IReadOnlyList<KvmRegister> GetRegisters(RegisterBank bank) => ReadSyncedRegisters(bank) ?? OnVcpuThread(handle =>
    {
        (IoctlDefinition<IKvmVcpuDescriptor> get, _, RegisterLayout layout) = Bank(bank);
        byte[] buffer = new byte[layout.Size];
        if (ReadsCoreRegistersOneByOne(bank))
        {
            foreach ((_, int offset, int size) in layout.Slots)
            {
                byte[] slot = new byte[size];
                OneRegisters.Transfer(handle, KvmVcpuIoctls.GetOneReg, OneRegisterId.Arm64Core(offset, size), slot);
                slot.CopyTo(buffer, offset);
            }
        }
        else
        {
            handle.Ioctl(get, buffer);
        }
        return layout.Slots.Select(s => new KvmRegister(VmId, Id, bank, s.Name, layout.Read(buffer.AsSpan(s.Offset, s.Size)), s.Size)).ToArray();
    });

    /// <summary>The registers of the given banks (all when null) whose names match the patterns (all when null).</summary>
    public IReadOnlyList<KvmRegister> QueryRegisters(IEnumerable<RegisterBank>? banks, IEnumerable<string>? names)
    {
        foreach (string literal in (names ?? []).Where(n => !NameFilter.HasWildcard(n)))
        {
            BankOf(literal);   // an unknown literal name is an error listing the names there are
        }
        var filter = new NameFilter(names);
        return (banks ?? Enum.GetValues<RegisterBank>().Where(b => TryBank(b) is not null))
            .Distinct()
            .SelectMany(GetRegisters)
            .Where(r => filter.Matches(r.Name))
            .ToArray();
    }

    /// <summary>
    /// Sets registers by name in either bank: reads each affected struct, changes the named members, writes it back.
    /// Unknown names fail before any ioctl, listing the names the architecture has.
    /// </summary>
    public void SetRegisters(IEnumerable<KeyValuePair<string, ulong>> values)
    {
        var requested = values.ToArray();
        OnVcpuThread(handle =>
        {
            var byBank = new Dictionary<RegisterBank, List<KeyValuePair<string, ulong>>>();
            foreach (var pair in requested)
            {
                RegisterBank bank = BankOf(pair.Key);
                Bank(bank).Layout.CheckFits(pair.Key, pair.Value);   // every value is checked before any register changes
                (byBank.TryGetValue(bank, out var list) ? list : byBank[bank] = []).Add(pair);
            }
            foreach ((RegisterBank bank, var pairs) in byBank)
            {
                (IoctlDefinition<IKvmVcpuDescriptor> get, IoctlDefinition<IKvmVcpuDescriptor> set, RegisterLayout layout) = Bank(bank);
                byte[] buffer = new byte[layout.Size];
                if (ReadsCoreRegistersOneByOne(bank))
                {
                    foreach (var pair in pairs)
                    {
                        (int offset, int size) = layout.SlotOf(pair.Key);
                        layout.Write(buffer, pair.Key, pair.Value);
                        OneRegisters.Transfer(handle, KvmVcpuIoctls.SetOneReg, OneRegisterId.Arm64Core(offset, size), buffer[offset..(offset + size)]);
                    }
                    continue;
                }
                handle.Ioctl(get, buffer);
                foreach (var pair in pairs)
                {
                    layout.Write(buffer, pair.Key, pair.Value);
                }
                handle.Ioctl(set, buffer);
            }
            return true;
        });
    }

    /// <summary>
    /// arm64 answers KVM_GET/SET_REGS with EINVAL; its kvm_regs members are the core registers of ONE_REG instead
    /// (api.txt 4.68: KVM_REG_ARM_CORE, the member's offset in 32-bit words).
    /// </summary>
    private bool ReadsCoreRegistersOneByOne(RegisterBank bank) => bank == RegisterBank.General && Vm.Kernel.Architecture == CpuArchitecture.Aarch64;

    /// <summary>The register names of this vCPU's architecture, without asking the kernel (for completion).</summary>
    internal IEnumerable<string> RegisterNames =>
        Enum.GetValues<RegisterBank>().Select(TryBank).Where(b => b is not null).SelectMany(b => b!.Value.Layout.Slots.Select(s => s.Name));

    private RegisterBank BankOf(string name)
    {
        foreach (RegisterBank bank in Enum.GetValues<RegisterBank>())
        {
            if (TryBank(bank) is { } entry && entry.Layout.Has(name))
            {
                return bank;
            }
        }
        string known = string.Join(", ", RegisterNames);
        throw KvmPSException.InvalidArgument("UnknownRegister",
            $"'{name}' is not a register of kvm_regs or kvm_sregs on {Vm.Kernel.Architecture.UnameName()}. Known names: {known}.");
    }

    private (IoctlDefinition<IKvmVcpuDescriptor> Get, IoctlDefinition<IKvmVcpuDescriptor> Set, RegisterLayout Layout) Bank(RegisterBank bank) =>
        TryBank(bank) ?? throw new IoctlUnavailableException(bank == RegisterBank.General ? "KVM_GET_REGS" : "KVM_GET_SREGS", Vm.Kernel.Architecture);

    private (IoctlDefinition<IKvmVcpuDescriptor> Get, IoctlDefinition<IKvmVcpuDescriptor> Set, RegisterLayout Layout)? TryBank(RegisterBank bank) =>
        bank == RegisterBank.General ? _generalBank.Value : _specialBank.Value;

    /// <summary>The bank's ioctls and flattened layout on this vCPU's architecture, or null where the headers lack them.</summary>
    private static (IoctlDefinition<IKvmVcpuDescriptor> Get, IoctlDefinition<IKvmVcpuDescriptor> Set, RegisterLayout Layout)? DescribeBank(RegisterBank bank, CpuArchitecture arch)
    {
        (IoctlDefinition<IKvmVcpuDescriptor> get, IoctlDefinition<IKvmVcpuDescriptor> set, KernelStruct type) = bank == RegisterBank.General
            ? (KvmVcpuIoctls.GetRegs, KvmVcpuIoctls.SetRegs, RegisterStructs.Regs)
            : (KvmVcpuIoctls.GetSregs, KvmVcpuIoctls.SetSregs, RegisterStructs.Sregs);
        return get.IsDefinedOn(arch) && type.LayoutFor(arch) is { } layout ? (get, set, new RegisterLayout(layout)) : null;
    }

    /// <summary>KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS: the banks kvm_run.s.regs carries that the register views read.</summary>
    private const ulong SyncedSets = 0x3;

    /// <summary>
    /// KVM_CAP_SYNC_REGS (api.rst section 5, kvm_valid_regs): when true, every KVM_RUN of this vCPU asks the kernel to
    /// copy kvm_regs and kvm_sregs into kvm_run.s.regs at the exit, and <see cref="GetRegisters"/> reads them there
    /// without an ioctl until the next call on the vCPU. Writes still go through KVM_SET_REGS / KVM_SET_SREGS
    /// (kvm_dirty_regs stays 0). x86 only; needs the capability to report both sets.
    /// </summary>
    public bool SyncRegisters
    {
        get => Volatile.Read(ref _syncRegisters);
        set
        {
            if (value)
            {
                Kvm.X86.X86Only.Require(Vm, "reading registers from kvm_run (KVM_CAP_SYNC_REGS)");
                int sets = Vm.RequireCapability(KvmCapability.SyncRegs, "reading registers from kvm_run (KVM_CAP_SYNC_REGS)");
                if (((ulong)sets & SyncedSets) != SyncedSets)
                {
                    throw KvmPSException.NotSupportedByHost("syncing kvm_regs and kvm_sregs through kvm_run (KVM_CAP_SYNC_REGS reports 0x" + sets.ToString("X") + ")",
                        KvmNames.KernelName(KvmCapability.SyncRegs), Vm.Kernel.Architecture);
                }
            }
            lock (_kickGate)
            {
                ThrowIfDisposed();
                _syncRegisters = value;
                _syncedCopyFresh = false;
            }
        }
    }

    /// <summary>True while the registers <see cref="GetRegisters"/> returns come from kvm_run's copy of the last exit.</summary>
    public bool RegistersFromRun
    {
        get
        {
            lock (_kickGate)
            {
                return _syncedCopyFresh && _syncRegisters && !_runAdmitted && !_disposed;
            }
        }
    }

    private void SetValidRegisters(ulong sets)
    {
        if (sets == 0 && !_validRegistersWritten)
        {
            return;   // never asked for: leave the page alone
        }
        using MappingLease lease = _runMapping.Lease();
        lease.At<KvmRunSyncControl>((ulong)_runOffsets.SyncControl).KvmValidRegs = sets;
        _validRegistersWritten = sets != 0;
    }

    private bool _validRegistersWritten;

    private IReadOnlyList<KvmRegister>? ReadSyncedRegisters(RegisterBank bank)
    {
        lock (_kickGate)
        {
            if (!(_syncedCopyFresh && _syncRegisters && !_runAdmitted && !_disposed) || TryBank(bank) is not { } entry)
            {
                return null;
            }
            using MappingLease lease = _runMapping.Lease();
            // x86's kvm_sync_regs is { kvm_regs regs; kvm_sregs sregs; kvm_vcpu_events events; }, each 8-aligned
            int offset = _runOffsets.SyncRegs + (bank == RegisterBank.General ? 0 : Bank(RegisterBank.General).Layout.Size);
            byte[] copy = lease.Slice((ulong)offset, entry.Layout.Size).ToArray();
            return entry.Layout.Slots.Select(s => new KvmRegister(VmId, Id, bank, s.Name, entry.Layout.Read(copy.AsSpan(s.Offset, s.Size)), s.Size)).ToArray();
        }
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            throw KvmPSException.InvalidOperation("VcpuRemoved", $"vCPU {Id} of VM {VmId} has been removed.");
        }
    }

    /// <summary>Removes the vCPU, waiting at most <see cref="StopTimeout"/> for a guest it kicks out of KVM_RUN.</summary>
    public void Dispose()
    {
        if (BeginDispose())
        {
            EndDispose(DateTime.UtcNow + StopTimeout);
        }
    }

    /// <summary>
    /// Marks the vCPU removed (no new call or run is admitted) and kicks a run in progress; false if it was already
    /// removed. A VM calls this on every vCPU first, so all of them leave the guest in parallel.
    /// </summary>
    internal bool BeginDispose()
    {
        lock (_kickGate)
        {
            if (_disposed)
            {
                return false;
            }
            _disposed = true;
        }
        Kick();
        return true;
    }

    /// <summary>
    /// Closes kvm_run and the vCPU descriptor on the vCPU thread, waiting until <paramref name="deadline"/>. A
    /// guest that does not leave KVM_RUN in time (kicked again meanwhile) keeps the close queued: it runs when
    /// KVM_RUN returns, and the background thread never holds up removal or process exit. True when closed.
    /// </summary>
    internal bool EndDispose(DateTime deadline)
    {
        VcpuThread.Pending<bool> close = _thread.Stop(CloseOnThread);
        while (true)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (close.TryWait(left < KickInterval ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : KickInterval))
            {
                return true;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            Kick();
        }
    }

    private static readonly TimeSpan KickInterval = TimeSpan.FromMilliseconds(20);

    private void CloseOnThread()
    {
        lock (_kickGate)
        {
            _runMapping?.Dispose();
            _dirtyRing?.Dispose();
        }
        _statistics?.Dispose();
        _handle?.Dispose();
        Architecture.Dispose();
    }

    /// <summary>State only this vCPU's architecture has (arm64's init target, s390's UCAS mappings).</summary>
    internal ArchitectureSlot Architecture { get; } = new();

    /// <summary>KVM_ENABLE_CAP on the vCPU (api.txt 4.37, needs KVM_CAP_ENABLE_CAP); the same ioctl as on a VM.</summary>
    public unsafe void EnableCapability(KvmCapability capability, ulong[]? args = null, uint flags = 0)
    {
        Vm.RequireCapability(KvmCapability.EnableCap, "KVM_ENABLE_CAP on a vCPU");
        Vm.RequireCapability(capability, $"enabling {KvmNames.KernelName(capability)}");
        KvmEnableCap request = KvmEnableCap.For((uint)capability, args ?? [], flags);
        OnVcpuThread(handle => handle.Ioctl(KvmVmIoctls.EnableCap, ref request, errno => EnableCapHint.For(errno, capability, "vCPU")));
    }

    /// <summary>
    /// The kernel's binary statistics of this vCPU (KVM_GET_STATS_FD), none where the host lacks
    /// KVM_CAP_BINARY_STATS_FD. The statistics descriptor is opened on the vCPU thread (KVM_GET_STATS_FD is a vCPU
    /// ioctl and waits for a KVM_RUN in progress), at the latest when the engine starts the vCPU; reading it never
    /// waits for the guest. A vCPU that runs without ever having been idle here reports none.
    /// </summary>
    public IReadOnlyList<KernelStatistic> GetKernelStatistics()
    {
        KvmStatsHandle? statistics = Volatile.Read(ref _statistics) ?? (IsRunning ? null : OnVcpuThread(_ => OpenStatisticsOnThread()));
        return statistics is null ? [] : KernelStatistics.Read(statistics);
    }

    private KvmStatsHandle? OpenStatisticsOnThread()
    {
        if (!_statisticsProbed)
        {
            _statisticsProbed = true;
            if (Vm.System.CheckExtension(KvmCapability.BinaryStatsFd) > 0)
            {
                Volatile.Write(ref _statistics, KernelStatistics.Open(_handle));
            }
        }
        return _statistics;
    }

    public override string ToString() => $"vCPU {Id} of VM {VmId}";
}

/// <summary>Reads or writes one page of a vCPU's mmap in place.</summary>
internal delegate T MappedPageAccess<T>(Span<byte> page);
