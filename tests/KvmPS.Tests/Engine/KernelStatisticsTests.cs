using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Tests.Engine;

/// <summary>KVM_GET_STATS_FD: the kernel's own counters of a VM and its vCPUs, read while and after the engine runs.</summary>
public sealed class KernelStatisticsTests
{
    private static string? NoBinaryStats(KvmSession session) =>
        session.System.CheckExtension(KvmCapability.BinaryStatsFd) > 0 ? null : "the host lacks KVM_CAP_BINARY_STATS_FD";

    [KvmX86Fact]
    public void TheKernelCountsTheExitsTheEngineSaw()
    {
        using var session = new KvmSession(KernelInterface.Host);
        if (NoBinaryStats(session) is string reason)
        {
            Assert.Empty(session.CreateVm().GetKernelStatistics());
            return;   // the capability-less path is what a host without it gets; nothing more to compare
        }
        KvmVm vm = EngineGuests.Create(session, EngineGuests.OutLoop(500));
        vm.Runner.AddTestDevice();
        vm.Runner.AddDebugExit();
        vm.Runner.Start();
        Assert.True(vm.Runner.Wait(TimeSpan.FromSeconds(10)));

        var stats = vm.Runner.Statistics();
        KernelStatistic exits = Assert.Single(stats.Vcpus[0].Kernel, s => s.Name == "exits");
        Assert.Equal(KernelStatisticKind.Cumulative, exits.Kind);
        // The kernel counts every exit, those it handles itself too, so at least the ones that reached the engine.
        Assert.True(exits.Value >= (ulong)stats.Vcpus[0].ExitCount && stats.Vcpus[0].ExitCount >= 501,
            $"the kernel counted {exits.Value} exits, the engine {stats.Vcpus[0].ExitCount}");
        Assert.NotEmpty(stats.Kernel);
        Assert.All(stats.Kernel.Concat(stats.Vcpus[0].Kernel), s => Assert.False(string.IsNullOrEmpty(s.Name)));
        Assert.Contains(stats.Vcpus[0].Kernel, s => s.Unit == "Seconds" && s.Exponent == -9);   // e.g. halt_wait_ns
    }

    [KvmX86Fact]
    public void ARunningVcpusStatisticsAreReadWithoutWaitingForTheGuest()
    {
        using var session = new KvmSession(KernelInterface.Host);
        if (NoBinaryStats(session) is not null)
        {
            return;
        }
        KvmVm vm = EngineGuests.Create(session, [0xeb, 0xfe]);   // jmp $
        vm.Runner.Start();
        try
        {
            SpinWait.SpinUntil(() => vm.Vcpus[0].RunCount > 0, TimeSpan.FromSeconds(5));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.NotEmpty(vm.Vcpus[0].GetKernelStatistics());
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        }
        finally
        {
            vm.Runner.Stop();
            Assert.True(vm.Runner.Wait(TimeSpan.FromSeconds(5)));
        }
    }

    [Fact]
    public void AHostWithoutTheCapabilityReportsNone()
    {
        (Doubles.KernelDouble kernel, Doubles.KvmDouble kvm) = Doubles.KvmDouble.Create(CpuArchitecture.X86_64);
        kvm.Capabilities.Remove(KvmCapability.BinaryStatsFd);
        using var session = new KvmSession(kernel.Kernel);
        KvmVm vm = session.CreateVm();
        Assert.Empty(vm.GetKernelStatistics());
        Assert.Empty(vm.CreateVcpu().GetKernelStatistics());
    }
}
