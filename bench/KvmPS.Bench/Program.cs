using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace KvmPS.Bench;

/// <summary>
/// Compiles the C reference, then hands the arguments to BenchmarkDotNet. <c>--quick</c> (ours) selects
/// BenchmarkDotNet's ShortRun job so a full run fits in a few minutes; <c>--exit-loop</c> (ours) runs the engine's
/// exit loop against C instead (<see cref="ExitLoopComparison"/>), <c>--loops &lt;workload&gt; &lt;count&gt;</c>
/// one workload of bench/run (<see cref="Loops"/>); every other argument is BenchmarkDotNet's.
/// </summary>
public static class Program
{
    private const string QuickSwitch = "--quick";

    /// <summary>Next to the project whatever the working directory (git-ignored there); --artifacts overrides it.</summary>
    private static string ArtifactsPath => Path.Combine(KvmReferenceLibrary.RepositoryRoot, "bench", "KvmPS.Bench", "BenchmarkDotNet.Artifacts");

    public static int Main(string[] args)
    {
#if DEBUG
        Console.Error.WriteLine("The benchmarks run from Release builds only: dotnet run -c Release --project bench/KvmPS.Bench -- [BenchmarkDotNet args]");
        return 1;
#else
        if (args.Length == 3 && args[0] == Loops.Switch)
        {
            return Loops.Run(args[1], long.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        }
        try
        {
            KvmReferenceLibrary.Compile();
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        Console.WriteLine($"C reference compiled: {KvmReferenceLibrary.LibraryPath}");
        if (args.Contains(ExitLoopComparison.Switch))
        {
            return ExitLoopComparison.Run(args);
        }

        bool quick = args.Contains(QuickSwitch);
        ManualConfig config = ManualConfig.Create(DefaultConfig.Instance).WithArtifactsPath(ArtifactsPath);
        if (quick)
        {
            config.AddJob(Job.ShortRun);
        }
        string[] benchmarkArgs = args.Where(a => a != QuickSwitch).ToArray();

        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(benchmarkArgs, config);
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        return failed ? 1 : 0;
#endif
    }
}
