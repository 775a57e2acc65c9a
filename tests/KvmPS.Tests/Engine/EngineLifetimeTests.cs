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
        RealKvm.DescriptorSnapshot descriptors = RealKvm.Descriptors();

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
        output.WriteLine(RealKvm.AssertNoDescriptorLeak(descriptors));
    }

    [KvmX86Fact]
    public void PortExitsHandledByADeviceAllocateNothing()
    {
        using var session = new KvmSession(KernelInterface.Host);
        AllocatedByRun(session, 1000);   // the first run JIT-compiles the loop
        const ushort few = 2000, many = 22000;
        (long fewBytes, long fewExits) = AllocatedByRun(session, few);
        (long manyBytes, long manyExits) = AllocatedByRun(session, many);

        // Starting and stopping allocate the same in both runs; what differs is what the extra exits cost.
        double perExit = (manyBytes - fewBytes) / (double)(manyExits - fewExits);
        output.WriteLine($"{fewBytes} bytes for {fewExits} port exits, {manyBytes} bytes for {manyExits}: {perExit:F4} bytes per exit");
        Assert.Equal(many - few, manyExits - fewExits);
        Assert.True(perExit < 0.01, $"{perExit:F4} bytes allocated per exit");
    }

    /// <summary>Bytes the vCPU thread allocated in its run loop while the guest made <paramref name="count"/> port exits to the test device, and the IO exits counted.</summary>
    private static (long Bytes, long Exits) AllocatedByRun(KvmSession session, ushort count)
    {
        KvmVm vm = EngineGuests.Create(session, EngineGuests.OutLoop(count));
        vm.Runner.AddTestDevice();
        vm.Runner.AddDebugExit();
        vm.Runner.Start();
        Assert.True(vm.Runner.Wait(HangLimit));
        Assert.Equal(RunState.Stopped, vm.State);
        var stats = vm.Runner.Statistics();
        return (stats.Vcpus.Single().LoopAllocatedBytes, stats.Exits["KVM_EXIT_IO"]);
    }
}
