using System.Runtime.CompilerServices;
using KvmPS.Devices;
using KvmPS.Interop;
using KvmPS.Interop.Structs;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;

namespace KvmPS.Engine;

/// <summary>
/// Handles one vCPU's exits on its own thread (api.txt section 5), in place in kvm_run: port and MMIO accesses go
/// to the VM's bus and the guest runs on; HLT halts the vCPU; a guest error fails the VM. No allocation on the way
/// of an exit the guest runs on from.
/// </summary>
internal sealed unsafe class VcpuRunner : IVcpuLoopBody
{
    /// <summary>Exit reasons at or above this share the last counter.</summary>
    internal const int CountedReasons = 64;

    private readonly VmRunner _owner;
    private readonly PortBus _bus;
    private readonly KvmRunOffsets _offsets;
    private readonly ulong _mappingSize;
    private readonly long[] _exits = new long[CountedReasons];
    private long _runs;
    private long _runTicks;
    private RunState _endState;
    private long _allocatedAtStart;
    private long _allocated;

    public VcpuRunner(VmRunner owner, KvmVcpu vcpu)
    {
        _owner = owner;
        Vcpu = vcpu;
        _bus = owner.Bus;
        _offsets = KvmRunOffsets.For(vcpu.Vm.Kernel.Architecture);
        _mappingSize = (ulong)vcpu.Vm.System.VcpuMmapSize;
    }

    public KvmVcpu Vcpu { get; }

    public bool StopRequested => _owner.StopRequested;

    /// <summary>Prepares a new start: the vCPU is running until its loop says otherwise.</summary>
    public void Begin()
    {
        _endState = RunState.Stopped;
        Vcpu.State = RunState.Running;
    }

    public void OnStarted() => _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();

    public bool OnExit(byte* run, long result, long ticks)
    {
        _runs++;
        _runTicks += ticks;
        if (result < 0)
        {
            _exits[(int)KvmExitReason.Intr] += result == -Errno.EINTR ? 1 : 0;
            // An application processor waiting for INIT/SIPI (KVM_MP_STATE_UNINITIALIZED with the in-kernel irqchip)
            // blocks in KVM_RUN and returns EAGAIN once an event arrives, to be entered again (kvm_arch_vcpu_ioctl_run).
            return result is -Errno.EINTR or -Errno.EAGAIN || Fail($"KVM_RUN failed with {Errno.NameOf((int)-result)}");
        }
        uint reason = KvmRunOffsets.Header(run)->ExitReason;
        _exits[Math.Min(reason, CountedReasons - 1)]++;
        switch ((KvmExitReason)reason)
        {
            case KvmExitReason.Io:
                return Io(run, _offsets.Member<KvmRunIo>(run));
            case KvmExitReason.Mmio:
                Mmio(_offsets.Member<KvmRunMmio>(run));
                return true;
            case KvmExitReason.IrqWindowOpen:
            case KvmExitReason.Intr:
                return true;
            case KvmExitReason.Hlt:
                _endState = RunState.Halted;
                return false;
            case KvmExitReason.Shutdown:
                return Fail("triple fault (KVM_EXIT_SHUTDOWN)");
            case KvmExitReason.InternalError:
                var internalError = _offsets.Member<KvmRunInternal>(run);
                return Fail($"{InternalErrorExit.NameOf(internalError->Suberror)} (KVM_EXIT_INTERNAL_ERROR), data: " +
                    string.Join(", ", new ReadOnlySpan<ulong>(internalError->Data, (int)Math.Min(16u, internalError->Ndata)).ToArray().Select(d => $"0x{d:x}")));
            case KvmExitReason.FailEntry:
                var failEntry = _offsets.Member<KvmRunFailEntry>(run);
                return Fail($"KVM_EXIT_FAIL_ENTRY: hardware_entry_failure_reason 0x{failEntry->HardwareEntryFailureReason:x} on host CPU {failEntry->Cpu}");
            case KvmExitReason.SystemEvent:
                return SystemEvent(_offsets.Member<KvmRunSystemEvent>(run)->Type);
            default:
                return Fail($"unhandled exit {KvmNames.ExitName(reason)}");
        }
    }

    /// <summary>
    /// KVM_EXIT_IO: count accesses of size bytes at data_offset in kvm_run (several for a string instruction); for a
    /// read the kernel copies the data there into the guest on the next KVM_RUN.
    /// </summary>
    private bool Io(byte* run, KvmRunIo* io)
    {
        int size = io->Size;
        ulong length = (ulong)size * io->Count;
        if (size is not (1 or 2 or 4) || io->DataOffset > _mappingSize || length > _mappingSize - io->DataOffset)
        {
            return Fail($"KVM_EXIT_IO with size {size}, count {io->Count} and data_offset 0x{io->DataOffset:x} outside kvm_run");
        }
        byte* data = run + io->DataOffset;
        for (uint i = 0; i < io->Count; i++, data += size)
        {
            if (io->Direction == (byte)IoDirection.Out)
            {
                _bus.Write(io->Port, size, size switch { 1 => *data, 2 => Unsafe.ReadUnaligned<ushort>(data), _ => Unsafe.ReadUnaligned<uint>(data) });
            }
            else
            {
                uint value = _bus.Read(io->Port, size);
                switch (size)
                {
                    case 1: *data = (byte)value; break;
                    case 2: Unsafe.WriteUnaligned(data, (ushort)value); break;
                    default: Unsafe.WriteUnaligned(data, value); break;
                }
            }
        }
        return true;
    }

    private void Mmio(KvmRunMmio* mmio)
    {
        int length = (int)Math.Min(8u, mmio->Len);
        if (mmio->IsWrite != 0)
        {
            ulong value = 0;
            Buffer.MemoryCopy(mmio->Data, &value, sizeof(ulong), length);
            _bus.WriteMmio(mmio->PhysAddr, length, value);
            return;
        }
        ulong read = _bus.ReadMmio(mmio->PhysAddr, length);
        Buffer.MemoryCopy(&read, mmio->Data, 8, length);
    }

    /// <summary>KVM_SYSTEM_EVENT_SHUTDOWN and _RESET stop the VM (the engine does not reset); anything else fails it.</summary>
    private bool SystemEvent(uint type)
    {
        if (type is 1 or 2)
        {
            _owner.RequestStop(null);
            return false;
        }
        return Fail($"{SystemEventExit.NameOf(type)} (KVM_EXIT_SYSTEM_EVENT)");
    }

    private bool Fail(string reason)
    {
        _endState = RunState.Failed;
        _owner.Fail(reason);
        return false;
    }

    public void OnEnded(Exception? error)
    {
        if (_allocatedAtStart != 0)
        {
            Volatile.Write(ref _allocated, _allocated + GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart);
            _allocatedAtStart = 0;
        }
        if (error is not null && !(error is KvmPSException { ErrorId: "VcpuRemoved" } || error is ObjectDisposedException))
        {
            Fail($"the run loop failed: {error.Message}");
        }
        Vcpu.State = _endState;
        _owner.LoopEnded();
    }

    public VcpuStatistics Statistics() => new(Vcpu.VmId, Vcpu.Id, Vcpu.State, Volatile.Read(ref _runs),
        TimeSpan.FromSeconds(Volatile.Read(ref _runTicks) / (double)System.Diagnostics.Stopwatch.Frequency), ExitCounts.Of(_exits),
        Volatile.Read(ref _allocated), Vcpu.IsDisposed ? [] : Vcpu.GetKernelStatistics());
}
