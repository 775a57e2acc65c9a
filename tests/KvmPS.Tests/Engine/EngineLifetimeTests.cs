using System.Diagnostics;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Tests.Robustness;
using Xunit.Abstractions;

namespace KvmPS.Tests.Engine;

/// <summary>Removing running VMs: prompt, and nothing of the module is left behind.</summary>
[Collection(ProcessWideCounts.Name)]
public sealed class EngineLifetimeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    [KvmX86Fact]
    public void RemovingRunningVmsLeavesNoDescriptorOrVcpuThread()
    {
        using (var warmUp = new KvmSession(KernelInterface.Host))
        {
            KvmVm first = EngineGuests.Create(warmUp, EngineGuests.Spin);
            first.Runner.Start();
            first.Runner.Stop();   // the first kick sets up the runtime's signal handling, which keeps descriptors open
            first.Runner.Wait(HangLimit);
        }
        Assert.Equal(0, ModuleThreads.SettleTo(0, HangLimit));
        IReadOnlyList<string> kvmDescriptors = RealKvm.KvmDescriptorTargets();
        int descriptors = RealKvm.OpenDescriptorCount();

        var session = new KvmSession(KernelInterface.Host);
        KvmVm[] vms = Enumerable.Range(0, 2).Select(_ => EngineGuests.Create(session, EngineGuests.Spin, vcpus: 2)).ToArray();
        foreach (KvmVm vm in vms)
        {
            vm.Runner.AddSerialPort();
            vm.Runner.Start();
        }
        Thread.Sleep(50);
        var clock = Stopwatch.StartNew();
        foreach (KvmVm vm in vms)
        {
            session.RemoveVm(vm);
        }
        output.WriteLine($"removing 2 running VMs of 2 vCPUs took {clock.Elapsed.TotalMilliseconds:F1} ms");
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.All(vms, vm => Assert.Equal(RunState.Stopped, vm.State));
        session.Dispose();

        Assert.Equal(0, ModuleThreads.SettleTo(0, HangLimit));
        Assert.Equal(kvmDescriptors, RealKvm.KvmDescriptorTargets());
        Assert.Equal(descriptors, RealKvm.OpenDescriptorCount());
    }
}
