using System.Diagnostics;
using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Bench;

/// <summary>
/// The KvmPS side of bench/run: the workloads of bench/c/kvm_loops.c through the object model, each printed as one
/// number in the same unit as the C side, so bench/run can alternate the two and take the ratio of the medians.
/// The exit loop, which needs the engine's vCPU threads, is <see cref="ExitLoopComparison"/>.
/// </summary>
internal static class Loops
{
    public const string Switch = "--loops";

    public static int Run(string workload, long count)
    {
        using var session = new KvmSession(KernelInterface.Host);
        double value = workload switch
        {
            "setup" => Setup(session, count),
            "vcpus" => Vcpus(session, (int)count),
            "read1m" => Read1M(session, count),
            _ => throw new ArgumentException($"unknown workload {workload}: setup, vcpus or read1m"),
        };
        Console.WriteLine(value.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>Microseconds per VM + vCPU (kvm_run mapped) + 4 KiB region, created and removed.</summary>
    private static double Setup(KvmSession session, long cycles)
    {
        Cycle(session);   // first use opens /dev/kvm and loads the code paths
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < cycles; i++)
        {
            Cycle(session);
        }
        return clock.Elapsed.TotalMicroseconds / cycles;

        static void Cycle(KvmSession session)
        {
            KvmVm vm = session.CreateVm();
            vm.CreateVcpu();
            vm.AddMemoryRegion(0x1000, 0x1000);
            session.RemoveVm(vm);
        }
    }

    /// <summary>Milliseconds to create <paramref name="count"/> vCPUs of one VM and remove them with the VM.</summary>
    private static double Vcpus(KvmSession session, int count)
    {
        session.RemoveVm(session.CreateVm());
        KvmVm vm = session.CreateVm();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            vm.CreateVcpu(i);
        }
        session.RemoveVm(vm);
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Microseconds per 1 MiB copy out of guest memory into the caller's buffer.</summary>
    private static double Read1M(KvmSession session, long copies)
    {
        const int size = 1 << 20;
        KvmVm vm = session.CreateVm();
        GuestMemoryRegion region = vm.AddMemoryRegion(0, size);
        region.Write(0, Enumerable.Repeat((byte)0x5a, size).ToArray());
        byte[] buffer = new byte[size];
        region.Read(0, buffer);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < copies; i++)
        {
            region.Read(0, buffer);
        }
        double perCopy = clock.Elapsed.TotalMicroseconds / copies;
        session.RemoveVm(vm);
        return perCopy;
    }
}
