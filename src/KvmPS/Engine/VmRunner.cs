using KvmPS.Devices;
using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Engine;

/// <summary>
/// Runs a VM: every vCPU loops in KVM_RUN on its own thread, exits are handled in-process by the VM's devices, and
/// the VM's State, FailureReason and ExitStatus say how it ended. Owned by its <see cref="KvmVm"/> (KvmVm.Runner),
/// created on first use and disposed with the VM.
/// </summary>
public sealed class VmRunner : IDeviceHost, IDisposable
{
    private readonly object _gate = new();
    private readonly KvmVm _vm;
    private readonly Dictionary<KvmVcpu, VcpuRunner> _runners = [];
    private readonly List<IPortDevice> _devices = [];
    private readonly ManualResetEventSlim _ended = new(initialState: true);
    private int _stopRequested;
    private int _running;
    private bool _defaultsAdded;
    private RunState _state = RunState.Created;
    private string? _failureReason;
    private uint? _exitStatus;

    internal VmRunner(KvmVm vm) => _vm = vm;

    public PortBus Bus { get; } = new();

    public RunState State { get { lock (_gate) { return _state; } } }

    /// <summary>Why the VM failed (the first guest error of any vCPU), or null.</summary>
    public string? FailureReason { get { lock (_gate) { return _failureReason; } } }

    /// <summary>What the guest reported through the debug-exit port ((v &lt;&lt; 1) | 1), or null.</summary>
    public uint? ExitStatus { get { lock (_gate) { return _exitStatus; } } }

    internal bool StopRequested => Volatile.Read(ref _stopRequested) != 0;

    public IReadOnlyList<IPortDevice> Devices { get { lock (_gate) { return _devices.ToArray(); } } }

    public IReadOnlyList<Uart16550> SerialPorts => Devices.OfType<Uart16550>().ToArray();

    /// <summary>Registers a device on the VM's port bus; it is disposed with the VM when it is IDisposable.</summary>
    public T AddDevice<T>(T device) where T : IPortDevice
    {
        lock (_gate)
        {
            Bus.Register(device);
            _devices.Add(device);
        }
        return device;
    }

    public Uart16550 AddSerialPort(ushort port = Uart16550.Com1, uint irq = Uart16550.Com1Irq, string? path = null) =>
        AddDevice(new Uart16550(this, port, irq, path));

    public DebugExit AddDebugExit(ushort port = DebugExit.DefaultPort, int width = DebugExit.DefaultWidth) => AddDevice(new DebugExit(this, port, width));

    public FwCfg AddFwCfg() => AddDevice(new FwCfg(this));

    public TestDevice AddTestDevice() => AddDevice(new TestDevice(this));

    /// <summary>The UART at <paramref name="port"/>, or the first one when null; an error when the VM has none there.</summary>
    public Uart16550 SerialPort(ushort? port = null) =>
        SerialPorts.FirstOrDefault(u => port is null || u.BasePort == port)
        ?? throw new KvmPSException("SerialPortNotFound", ErrorKind.ObjectNotFound, port is null
            ? $"{_vm} has no serial port."
            : $"{_vm} has no serial port at 0x{port:x}. Its serial ports: {string.Join(", ", SerialPorts.Select(u => $"0x{u.BasePort:x}"))}.");

    /// <summary>
    /// Starts every vCPU's run loop (a Halted, Stopped or Failed VM runs on from where its vCPUs are). The shutdown
    /// port and the legacy PC ports are added on the first start where no device claims them.
    /// </summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_vm.IsDisposed)
            {
                throw KvmPSException.InvalidOperation("VmRemoved", $"{_vm} has been removed.");
            }
            if (_state == RunState.Running)
            {
                throw KvmPSException.InvalidOperation("VmAlreadyRunning", $"{_vm} is already running.");
            }
            KvmVcpu[] vcpus = _vm.Vcpus.ToArray();
            if (vcpus.Length == 0)
            {
                throw KvmPSException.InvalidOperation("VmHasNoVcpus", $"{_vm} has no vCPUs to run.");
            }
            if (vcpus.FirstOrDefault(v => v.IsRunning) is { } busy)
            {
                throw new KvmPSException("VcpuBusy", ErrorKind.ResourceBusy,
                    $"{busy} is running a guest outside the engine; the VM can only start when none of its vCPUs runs. Stop that run first.");
            }
            AddDefaultDevices();
            Volatile.Write(ref _stopRequested, 0);
            _failureReason = null;
            _exitStatus = null;
            _state = RunState.Running;
            _running = vcpus.Length;
            _ended.Reset();
            foreach (KvmVcpu vcpu in vcpus)
            {
                VcpuRunner runner = _runners.TryGetValue(vcpu, out VcpuRunner? existing) ? existing : _runners[vcpu] = new VcpuRunner(this, vcpu);
                runner.Begin();
            }
            for (int i = 0; i < vcpus.Length; i++)
            {
                try
                {
                    vcpus[i].StartLoop(_runners[vcpus[i]]);
                }
                catch (Exception e)
                {
                    // The loops already started stop; those never started end here, so the VM still reaches an end state.
                    foreach (KvmVcpu notStarted in vcpus.Skip(i))
                    {
                        _runners[notStarted].OnEnded(e);
                    }
                    throw;
                }
            }
        }
    }

    private void AddDefaultDevices()
    {
        if (_defaultsAdded)
        {
            return;
        }
        _defaultsAdded = true;
        foreach (IPortDevice device in new IPortDevice[] { new ShutdownPort(this), new LegacyPorts() })
        {
            if (device.Ports.All(r => Enumerable.Range(r.First, r.Count).All(p => !Bus.IsClaimed((ushort)p))))
            {
                Bus.Register(device);
                _devices.Add(device);
            }
        }
    }

    /// <summary>Stops the VM: sets the stop flag, then kicks every vCPU out of KVM_RUN. Returns at once; see <see cref="Wait"/>.</summary>
    public void Stop() => RequestStop(null);

    /// <summary>
    /// The stop flag is set before the kick (which sets immediate_exit, then signals the thread), and the loop reads
    /// the flag after clearing immediate_exit, so a stop that lands between two KVM_RUNs is never lost.
    /// </summary>
    public void RequestStop(uint? exitStatus)
    {
        lock (_gate)
        {
            if (exitStatus is not null)
            {
                _exitStatus = exitStatus;
            }
        }
        Volatile.Write(ref _stopRequested, 1);
        Interlocked.MemoryBarrier();
        foreach (KvmVcpu vcpu in _vm.Vcpus)
        {
            vcpu.Kick();
        }
    }

    /// <summary>A guest error on one vCPU fails the whole VM (the first reason is kept) and stops its other vCPUs.</summary>
    internal void Fail(string reason)
    {
        lock (_gate)
        {
            _failureReason ??= reason;
        }
        RequestStop(null);
    }

    internal void LoopEnded()
    {
        lock (_gate)
        {
            if (--_running > 0)
            {
                return;
            }
            RunState[] states = _runners.Values.Select(r => r.Vcpu.State).ToArray();
            _state = _failureReason is not null ? RunState.Failed
                : states.All(s => s == RunState.Halted) ? RunState.Halted
                : RunState.Stopped;
            _ended.Set();
        }
    }

    /// <summary>Waits until the VM is not running; false if <paramref name="timeout"/> passed first.</summary>
    public bool Wait(TimeSpan timeout) => _ended.Wait(timeout);

    /// <summary>How long Stop-KvmVm waits for the vCPUs to leave the guest after kicking them.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    /// <summary>Stops the VM and waits (at most <see cref="StopGrace"/>) until every vCPU loop has ended.</summary>
    public void StopAndWait()
    {
        Stop();
        if (!Wait(StopGrace))
        {
            throw new KvmPSException("VmStopTimedOut", ErrorKind.ResourceBusy,
                $"{_vm} was kicked but a vCPU has not left KVM_RUN within {StopGrace.TotalSeconds} s; it stops when KVM_RUN returns; removing the VM releases it regardless.");
        }
    }

    /// <summary>
    /// Waits in slices of <paramref name="slice"/> until the VM is not running (true), <paramref name="cancelled"/>
    /// says so (false, for Ctrl+C), or <paramref name="deadline"/> passes (a VmWaitTimedOut error).
    /// </summary>
    public bool WaitUntil(DateTime? deadline, TimeSpan slice, Func<bool> cancelled) => WaitFor(deadline, slice, cancelled) switch
    {
        WaitOutcome.Ended => true,
        WaitOutcome.Cancelled => false,
        _ => throw new KvmPSException("VmWaitTimedOut", ErrorKind.LimitsExceeded,
            $"{_vm} is still {State} after the timeout."),
    };

    /// <summary>How <see cref="WaitFor"/> ended.</summary>
    public enum WaitOutcome
    {
        Ended,
        TimedOut,
        Cancelled,
    }

    /// <summary>
    /// Waits in slices of <paramref name="slice"/> until the VM is not running, <paramref name="cancelled"/> says so, or
    /// <paramref name="deadline"/> (none when null) passes.
    /// </summary>
    public WaitOutcome WaitFor(DateTime? deadline, TimeSpan slice, Func<bool> cancelled)
    {
        while (!cancelled())
        {
            TimeSpan wait = deadline is DateTime end ? end - DateTime.UtcNow : slice;
            if (Wait(wait < slice ? (wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : slice))
            {
                return WaitOutcome.Ended;
            }
            if (deadline is DateTime limit && DateTime.UtcNow >= limit)
            {
                return WaitOutcome.TimedOut;
            }
        }
        return WaitOutcome.Cancelled;
    }

    public VmStatistics Statistics()
    {
        VcpuStatistics[] vcpus;
        lock (_gate)
        {
            vcpus = _runners.Values.Select(r => r.Statistics()).OrderBy(s => s.VcpuId).ToArray();
        }
        return new VmStatistics(_vm.Id, State, vcpus, Bus.Statistics(_vm.Id),
            Bus.UnhandledPortReads, Bus.UnhandledPortWrites, Bus.UnhandledMmioReads, Bus.UnhandledMmioWrites,
            _vm.IsDisposed ? [] : _vm.GetKernelStatistics());
    }

    bool IDeviceHost.HasIrqchip => _vm.HasIrqchip;

    void IDeviceHost.SetIrqLine(uint gsi, bool level)
    {
        if (_vm.HasIrqchip)
        {
            _vm.SetIrqLine(gsi, level);
        }
    }

    ulong IDeviceHost.MemorySize => _vm.MemoryRegions.Aggregate(0ul, (sum, r) => sum + r.Size);

    int IDeviceHost.VcpuCount => _vm.Vcpus.Count;

    /// <summary>Called by the VM after its vCPUs were removed: stops what still runs and closes the devices' files.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _stopRequested, 1);
        foreach (IDisposable device in Devices.OfType<IDisposable>())
        {
            device.Dispose();
        }
    }
}
