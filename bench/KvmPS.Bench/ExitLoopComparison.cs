using System.Diagnostics;
using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Bench;

/// <summary>
/// The engine's exit loop against C, outside BenchmarkDotNet (the engine runs on its own vCPU threads, which a
/// benchmark method cannot drive exit by exit). Both sides run the same guest: n OUTs to the test device's scratch
/// port 0xe0 (each a KVM_EXIT_IO handled in-process), then an OUT to the debug-exit port 0xf4 that ends the run.
/// Rounds alternate C and KvmPS so that drift in the machine's load hits both; each side's time per exit is the
/// median over its rounds. Setup (VM, memory, vCPU, registers) is outside the timed part on both sides.
/// </summary>
internal static class ExitLoopComparison
{
    public const string Switch = "--exit-loop";
    private const int DefaultRounds = 9;
    private const ushort DefaultExits = 20000;

    /// <summary>mov dx,0xe0 / mov cx,n / l: out dx,al / loop l / mov dx,0xf4 / out dx,al / hlt (bench/c/kvm_reference.c has the same).</summary>
    internal static byte[] Code(ushort exits) => [0xba, 0xe0, 0x00, 0xb9, (byte)exits, (byte)(exits >> 8), 0xee, 0xe2, 0xfd, 0xba, 0xf4, 0x00, 0xee, 0xf4];

    public static int Run(string[] args)
    {
        int rounds = Option(args, "--rounds", DefaultRounds);
        ushort exits = (ushort)Math.Clamp(Option(args, "--exits", DefaultExits), 1, ushort.MaxValue);
        using KvmReferenceLibrary reference = KvmReferenceLibrary.Load();
        using var session = new KvmSession(KernelInterface.Host);
        Console.WriteLine($"exit loop: {rounds} alternating rounds of {exits} port exits each (+1 debug-exit), guest 'out dx,al / loop'");

        RunKvmPS(session, exits);   // warm-up: JIT and the first signal registration
        var c = new List<double>();
        var kvmps = new List<double>();
        var allocated = new List<double>();
        ushort shortRun = (ushort)Math.Max(1, exits / 10);
        for (int round = 0; round < rounds; round++)
        {
            c.Add(RunC(reference, exits));
            (double perExit, long bytes, long handled) = RunKvmPS(session, exits);
            (_, long shortBytes, long shortHandled) = RunKvmPS(session, shortRun);
            kvmps.Add(perExit);
            // What one more exit costs: the difference between a long and a short run, so a run's fixed allocations
            // (the stop, the statistics) do not count as per-exit ones.
            allocated.Add((bytes - shortBytes) / (double)(handled - shortHandled));
            Console.WriteLine($"round {round + 1}: C {c[^1]:F0} ns/exit, KvmPS {kvmps[^1]:F0} ns/exit, run of {handled} exits {bytes} B, " +
                $"of {shortHandled} exits {shortBytes} B: {allocated[^1]:F4} B/exit");
        }
        double cMedian = Median(c), kvmpsMedian = Median(kvmps);
        Console.WriteLine($"median: C {cMedian:F0} ns/exit, KvmPS {kvmpsMedian:F0} ns/exit");
        Console.WriteLine($"ratio exit {kvmpsMedian / cMedian:F3}");
        Console.WriteLine($"alloc-per-exit {Median(allocated):F4}");
        return 0;
    }

    private static double RunC(KvmReferenceLibrary reference, ushort exits)
    {
        reference.ExitLoopSetup(exits);
        long start = Stopwatch.GetTimestamp();
        long handled = reference.ExitLoopRun();
        double nanoseconds = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
        Expect(handled == exits + 1, $"the C loop handled {handled} exits, not {exits + 1}");
        return nanoseconds / handled;
    }

    /// <summary>One engine run of the guest: time per exit from Start to the end of the last vCPU loop, the bytes its loop allocated, and the exits.</summary>
    private static (double NanosecondsPerExit, long AllocatedBytes, long Exits) RunKvmPS(KvmSession session, ushort exits)
    {
        KvmVm vm = session.CreateVm();
        try
        {
            vm.AddMemoryRegion(EmbeddedGuest.LoadAddress, (ulong)Environment.SystemPageSize);
            vm.WriteGuestMemory(EmbeddedGuest.LoadAddress, Code(exits));
            vm.CreateVcpu().SetRegisters(EmbeddedGuest.RealModeEntry(EmbeddedGuest.LoadAddress));
            vm.Runner.AddTestDevice();
            vm.Runner.AddDebugExit();
            long start = Stopwatch.GetTimestamp();
            vm.Runner.Start();
            Expect(vm.Runner.Wait(TimeSpan.FromMinutes(1)), "the KvmPS run did not end within a minute");
            double nanoseconds = Stopwatch.GetElapsedTime(start).TotalNanoseconds;
            var stats = vm.Runner.Statistics();
            long handled = stats.Exits.GetValueOrDefault("KVM_EXIT_IO");
            Expect(vm.State == RunState.Stopped && vm.ExitStatus is not null && handled == exits + 1,
                $"the KvmPS run ended {vm.State} ({vm.FailureReason}) after {handled} port exits, not {exits + 1}");
            return (nanoseconds / handled, stats.Vcpus.Sum(v => v.LoopAllocatedBytes), handled);
        }
        finally
        {
            session.RemoveVm(vm);
        }
    }

    private static void Expect(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int value) && value > 0 ? value : fallback;
    }
}
