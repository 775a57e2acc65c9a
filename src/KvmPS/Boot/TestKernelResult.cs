namespace KvmPS.Boot;

/// <summary>What one boot of a test kernel produced: the verdict, the exit status, the serial output and its timing.</summary>
public sealed class TestKernelResult
{
    public const int PassExitStatus = 1;
    public const int FailExitStatus = 3;
    public const int SkipExitStatus = 77;

    public required string Path { get; init; }
    public required TestKernelStatus Status { get; init; }

    /// <summary>(v &lt;&lt; 1) | 1 for the value v the kernel wrote to the debug-exit port; null when it wrote none.</summary>
    public int? ExitStatus { get; init; }

    /// <summary>Why the status is Error, Timeout or Fail without a FAIL line; null otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>Everything the kernel wrote to the UART.</summary>
    public required string Output { get; init; }

    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public int PassCount => CountPrefix("PASS");
    public int FailCount => CountPrefix("FAIL");
    public int SkipCount => CountPrefix("SKIP");

    /// <summary>From the VM's creation to the verdict: setup, the run, and the VM's stop.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>From the start of the kernel's vCPUs to the end of the run (for Timeout: the timeout plus the time to stop).</summary>
    public TimeSpan RunDuration { get; init; }
    public int Smp { get; init; }
    public ulong MemorySize { get; init; }
    public string CommandLine { get; init; } = "";

    /// <summary>The VM's engine statistics at the end of the run (exits by reason, device counters).</summary>
    public object? Statistics { get; init; }

    /// <summary>Lines that start with the prefix (PASS, FAIL, SKIP), as test kernels report each check.</summary>
    private int CountPrefix(string prefix) => Lines.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The status for an exit status the kernel reported through the debug-exit port.</summary>
    public static TestKernelStatus StatusFor(int exitStatus) => exitStatus switch
    {
        PassExitStatus => TestKernelStatus.Pass,
        SkipExitStatus => TestKernelStatus.Skip,
        _ => TestKernelStatus.Fail,
    };

    public override string ToString() => $"{System.IO.Path.GetFileName(Path)}: {Status}" + (ExitStatus is int s ? $" (exit status {s})" : "");
}
