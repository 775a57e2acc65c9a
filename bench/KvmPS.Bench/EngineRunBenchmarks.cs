using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using KvmPS.Kvm;

namespace KvmPS.Bench;

/// <summary>
/// One whole engine run per invocation, against the C exit loop: the guest of <see cref="ExitLoopComparison"/> makes
/// <see cref="Exits"/> port exits handled in-process and one debug-exit. OperationsPerInvoke makes every column per
/// exit, so the memory diagnoser's Allocated column is the bytes allocated per exit (the run's own few hundred bytes
/// of start and stop spread over 20,001 exits). The VM is built and removed outside the measured call.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 9)]
public class EngineRunBenchmarks
{
    private const ushort Exits = 20000;

    private KvmReferenceLibrary? _reference;
    private KvmSession? _session;
    private KvmVm? _vm;

    [GlobalSetup]
    public void Setup()
    {
        if (RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            throw new PlatformNotSupportedException($"The benchmark guest is x86 real-mode code; this process is {RuntimeInformation.ProcessArchitecture}.");
        }
        _reference = KvmReferenceLibrary.Load();
        _session = new KvmSession();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session?.Dispose();
        _reference?.Dispose();
    }

    [IterationSetup(Target = nameof(CExitLoop))]
    public void SetupC() => _reference!.ExitLoopSetup(Exits);

    [Benchmark(Baseline = true, OperationsPerInvoke = Exits + 1, Description = "C KVM_RUN loop")]
    public long CExitLoop() => _reference!.ExitLoopRun();

    [IterationSetup(Target = nameof(KvmPSEngineRun))]
    public void SetupKvmPS()
    {
        _vm = _session!.CreateVm();
        _vm.AddMemoryRegion(EmbeddedGuest.LoadAddress, (ulong)Environment.SystemPageSize);
        _vm.WriteGuestMemory(EmbeddedGuest.LoadAddress, ExitLoopComparison.Code(Exits));
        _vm.CreateVcpu().SetRegisters(EmbeddedGuest.RealModeEntry(EmbeddedGuest.LoadAddress));
        _vm.Runner.AddTestDevice();
        _vm.Runner.AddDebugExit();
    }

    [Benchmark(OperationsPerInvoke = Exits + 1, Description = "KvmPS engine run")]
    public bool KvmPSEngineRun()
    {
        _vm!.Runner.Start();
        if (!_vm.Runner.Wait(TimeSpan.FromMinutes(1)) || _vm.State != RunState.Stopped)
        {
            throw new InvalidOperationException($"The engine run ended {_vm.State} ({_vm.FailureReason}).");
        }
        return true;
    }

    [IterationCleanup(Target = nameof(KvmPSEngineRun))]
    public void CleanupKvmPS()
    {
        _session!.RemoveVm(_vm!);
        _vm = null;
    }
}
