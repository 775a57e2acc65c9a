using System.Collections.Concurrent;
using System.Diagnostics;
using KvmPS.Interop;
using KvmPS.Kvm;
using Xunit.Abstractions;

namespace KvmPS.Tests.Robustness;

/// <summary>
/// Several threads doing random create / run / kick / read / write / remove-region / remove-VM / dirty-log on the
/// real /dev/kvm for a bounded time. The process must survive, every failure must be one of the module's clear
/// errors, and afterwards no descriptor, mapping or vCPU thread of the module may remain. The seed is printed;
/// KVMPS_STRESS_SEED replays a run and KVMPS_STRESS_SECONDS changes its length (default 30).
/// </summary>
[Collection(ProcessWideCounts.Name)]
public sealed class StressTests(ITestOutputHelper output)
{
    private const int Workers = 4;
    private const ulong Page = 0x1000;

    /// <summary>The errors concurrent use may legitimately produce: each names what was removed, busy or taken.</summary>
    private static readonly HashSet<string> s_expectedErrorIds =
    [
        "VmRemoved", "VcpuRemoved", "VcpuBusy", "MemoryRegionRemoved", "MemoryRegionNotFound", "GuestAddressNotMapped",
        "GuestAddressOutOfRegion", "MemorySlotInUse", "InvalidMemorySlot", "VcpuIdInUse", "InvalidVcpuId", "NoPendingRead",
        "NoPendingHypercall", "KVM_SET_USER_MEMORY_REGION.EEXIST", "ObjectRemoved",
    ];

    [KvmX86Fact]
    public void RandomConcurrentUseSurvivesAndLeavesNothingBehind()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("KVMPS_STRESS_SEED"), out int given) ? given : Environment.TickCount;
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("KVMPS_STRESS_SECONDS"), out int length) ? length : 30;
        string banner = $"[KvmPS] stress: seed {seed}, {seconds} s, {Workers} threads (replay with KVMPS_STRESS_SEED={seed})";
        output.WriteLine(banner);
        Console.WriteLine(banner);

        WarmUp();
        RealKvm.DescriptorSnapshot descriptors = RealKvm.Descriptors();
        int threads = ModuleThreads.Count();

        var session = new KvmSession(KernelInterface.Host);
        var outcomes = new ConcurrentDictionary<string, int>();
        var unexpected = new ConcurrentQueue<string>();
        var runs = new ConcurrentBag<Thread>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        var workers = Enumerable.Range(0, Workers).Select(i => new Thread(() =>
        {
            var random = new Random(seed + i);
            while (DateTime.UtcNow < deadline)
            {
                string operation = "";
                try
                {
                    operation = Step(session, random, runs);
                    outcomes.AddOrUpdate(operation, 1, (_, n) => n + 1);
                }
                catch (KvmPSException e) when (s_expectedErrorIds.Contains(e.ErrorId) || e.ErrorId.StartsWith("KVM_RUN.", StringComparison.Ordinal))
                {
                    outcomes.AddOrUpdate(e.ErrorId, 1, (_, n) => n + 1);
                }
                catch (Exception e)
                {
                    unexpected.Enqueue($"{operation}: {e.GetType().Name}: {e.Message}");
                }
            }
        }) { IsBackground = true, Name = $"stress {i}" }).ToArray();
        foreach (Thread worker in workers)
        {
            worker.Start();
        }
        foreach (Thread worker in workers)
        {
            Assert.True(worker.Join(TimeSpan.FromSeconds(seconds + 30)), $"{worker.Name} hung (seed {seed})");
        }

        TimeSpan? disposed = Timed.OnOwnThread(session.Dispose, TimeSpan.FromSeconds(10));
        Assert.True(disposed.HasValue, $"disposing the session hung (seed {seed})");
        Assert.All(runs, run => Assert.True(run.Join(TimeSpan.FromSeconds(10)), $"a KVM_RUN did not end after removal (seed {seed})"));

        output.WriteLine(string.Join(Environment.NewLine, outcomes.OrderBy(o => o.Key).Select(o => $"  {o.Key}: {o.Value}")));
        output.WriteLine($"session dispose took {disposed.Value.TotalMilliseconds:F1} ms");
        Assert.True(unexpected.IsEmpty, $"seed {seed}: unexpected failures:{Environment.NewLine}{string.Join(Environment.NewLine, unexpected.Take(20))}");
        Assert.True(outcomes.Keys.Count(k => !s_expectedErrorIds.Contains(k) && !k.StartsWith("KVM_", StringComparison.Ordinal)) >= 8,
            $"seed {seed}: too few kinds of operation ran: {string.Join(", ", outcomes.Keys)}");

        Assert.Equal(threads, ModuleThreads.SettleTo(threads, TimeSpan.FromSeconds(10)));
        output.WriteLine($"seed {seed}: " + RealKvm.AssertNoDescriptorLeak(descriptors));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/maps"), line => line.Contains("kvm-vcpu", StringComparison.Ordinal));
    }

    /// <summary>One vCPU run and kick, so the runtime's signal handling (which keeps descriptors) exists before counting.</summary>
    private static void WarmUp()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVcpu vcpu = SpinningGuest.Create(session.CreateVm());
        vcpu.Run(TimeSpan.FromMilliseconds(1));
    }

    private static string Step(KvmSession session, Random random, ConcurrentBag<Thread> runs)
    {
        KvmVm[] vms = session.Vms.ToArray();
        KvmVm? vm = vms.Length == 0 ? null : vms[random.Next(vms.Length)];
        GuestMemoryRegion? region = vm is null ? null : Pick(random, vm.MemoryRegions);
        KvmVcpu? vcpu = vm is null ? null : Pick(random, vm.Vcpus);
        switch (random.Next(13))
        {
            case 0 when vms.Length < 3:
            case 1 when vm is null:
                session.CreateVm();
                return "create VM";
            case 2 when vm is not null:
                ulong size = (ulong)random.Next(1, 64) * Page;
                vm.AddMemoryRegion((ulong)random.Next(16, 1024) * 0x10000, size, random.Next(2) == 0 ? random.Next(4) : null,
                    random.Next(2) == 0 ? MemoryRegionFlags.LogDirtyPages : MemoryRegionFlags.None);
                return "add region";
            case 3 when vm is not null && vm.Vcpus.Count < 3:
                SpinningGuest.Create(vm, EmbeddedGuest.LoadAddress);
                return "create vCPU";
            case 4 when vcpu is not null:
                vcpu.Run(TimeSpan.FromMilliseconds(random.Next(1, 20)));
                return "run with timeout";
            case 5 when vcpu is not null && runs.Count < 200:
                var run = new Thread(() =>
                {
                    try
                    {
                        vcpu.Run();   // no timeout: only a kick or removal ends it
                    }
                    catch (KvmPSException)
                    {
                    }
                }) { IsBackground = true };
                runs.Add(run);
                run.Start();
                return "run until kicked";
            case 6 when vcpu is not null:
                vcpu.Kick();
                return "kick";
            case 7 when vcpu is not null:
                vcpu.QueryRegisters(null, ["rip", "rax"]);
                return "read registers";
            case 8 when region is not null:
                ulong offset = (ulong)random.NextInt64((long)region.Size);
                int count = (int)Math.Min(region.Size - offset, (ulong)random.Next(1, 1 << 16));
                if (random.Next(2) == 0)
                {
                    vm!.ReadGuestMemory(region.GuestAddress + offset, count);
                    return "read memory";
                }
                vm!.WriteGuestMemory(region.GuestAddress + offset, new byte[count]);
                return "write memory";
            case 9 when region is { LogDirtyPages: true }:
                region.GetDirtyPages();
                return "dirty log";
            case 10 when region is not null && region.GuestAddress != EmbeddedGuest.LoadAddress || random.Next(8) == 0 && region is not null:
                vm!.RemoveMemoryRegion(region!);
                return "remove region";
            case 11 when vm is not null && random.Next(4) == 0:
                session.RemoveVm(vm);
                return "remove VM";
            case 12 when region is not null:
                region.Read(region.GuestAddress, (int)Math.Min(region.Size, 1 << 20));
                return "read region";
            default:
                return "idle";
        }
    }

    private static T? Pick<T>(Random random, IReadOnlyList<T> items) where T : class =>
        items.Count == 0 ? null : items[random.Next(items.Count)];
}
