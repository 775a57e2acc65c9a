using System.Diagnostics;
using KvmPS.Engine;
using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Boot;

/// <summary>What Invoke-KvmTestKernel asks for: the image, its command line and environment, and the machine.</summary>
public sealed record TestKernelOptions(string Path)
{
    public string? Append { get; init; }
    public IDictionary<string, string>? Environment { get; init; }
    public int Smp { get; init; } = 1;
    public ulong Memory { get; init; } = PcMachine.DefaultMemory;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Boots one test kernel in a VM of its own and turns what happened into a verdict: the debug-exit status, a stop
/// through the shutdown port, a guest error (triple fault, emulation failure), or the timeout. The VM is removed
/// before the result is returned, whatever happened.
/// </summary>
public static class TestKernelRun
{
    /// <summary>How long a VM that was asked to stop (timeout, cancellation) may take to leave its guests.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

    /// <summary>How often the wait looks at the cancellation token.</summary>
    private static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(20);

    public static TestKernelResult Run(KvmSession session, TestKernelOptions options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Timeout <= TimeSpan.Zero)
        {
            throw KvmPSException.InvalidArgument("InvalidTimeout", $"The timeout must be positive; got {options.Timeout.TotalSeconds} s.");
        }
        MultibootImage image = KernelImport.ReadImage(options.Path);   // a malformed image fails before any VM exists
        var clock = Stopwatch.StartNew();
        KvmVm vm = PcMachine.Create(session, 0, options.Memory, options.Smp);
        try
        {
            KernelImport.Import(vm, options.Path, image, options.Append, options.Environment);
            VmRunner runner = vm.Runner;
            TimeSpan setup = clock.Elapsed;
            runner.Start();
            VmRunner.WaitOutcome outcome = runner.WaitFor(DateTime.UtcNow + options.Timeout, WaitSlice, () => cancel.IsCancellationRequested);
            if (outcome != VmRunner.WaitOutcome.Ended)
            {
                runner.Stop();
                runner.Wait(StopGrace);
            }
            cancel.ThrowIfCancellationRequested();
            bool timedOut = outcome == VmRunner.WaitOutcome.TimedOut;
            clock.Stop();
            string output = runner.SerialPorts.Count > 0 ? runner.SerialPort().Output.All : "";
            return Verdict(options, runner, timedOut, output, clock.Elapsed, clock.Elapsed - setup);
        }
        finally
        {
            session.RemoveVm(vm);
        }
    }

    private static TestKernelResult Verdict(TestKernelOptions options, VmRunner runner, bool timedOut, string output, TimeSpan duration, TimeSpan runDuration)
    {
        int? exitStatus = runner.ExitStatus is uint status ? (int)status : null;
        (TestKernelStatus verdict, string? reason) = (timedOut, runner.State, exitStatus) switch
        {
            (true, _, _) => (TestKernelStatus.Timeout, $"The kernel did not finish within {options.Timeout.TotalSeconds:0.###} s."),
            (_, RunState.Failed, _) => (TestKernelStatus.Error, runner.FailureReason),
            (_, _, int s) => (TestKernelResult.StatusFor(s), s is TestKernelResult.PassExitStatus or TestKernelResult.SkipExitStatus or TestKernelResult.FailExitStatus
                ? null : $"The kernel exited with status {s} ((v << 1) | 1 for v = {s >> 1})."),
            (_, RunState.Stopped, null) => ShutdownVerdict(output),
            (_, RunState.Halted, _) => (TestKernelStatus.Error, "Every vCPU halted with interrupts off before the kernel reported a result."),
            _ => (TestKernelStatus.Error, $"The VM ended in state {runner.State} without an exit status."),
        };
        return new TestKernelResult
        {
            Path = options.Path,
            Status = verdict,
            ExitStatus = exitStatus,
            Reason = reason,
            Output = output,
            Duration = duration,
            RunDuration = runDuration,
            Smp = options.Smp,
            MemorySize = options.Memory,
            CommandLine = options.Append ?? "",
            Statistics = runner.Statistics(),
        };
    }

    /// <summary>A kernel that stopped through the shutdown port (0x8900) without an exit status: its report lines decide.</summary>
    private static (TestKernelStatus, string?) ShutdownVerdict(string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (lines.Any(l => l.StartsWith("FAIL", StringComparison.Ordinal)))
        {
            return (TestKernelStatus.Fail, "The kernel shut down after reporting FAIL.");
        }
        return lines.Any(l => l.StartsWith("PASS", StringComparison.Ordinal))
            ? (TestKernelStatus.Pass, null)
            : (TestKernelStatus.Error, "The kernel shut down (port 0x8900) without an exit status or a PASS/FAIL line.");
    }
}
