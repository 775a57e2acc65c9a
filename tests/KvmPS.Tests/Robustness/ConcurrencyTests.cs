using System.Diagnostics;
using KvmPS.Interop;
using KvmPS.Kvm;
using Xunit.Abstractions;

namespace KvmPS.Tests.Robustness;

/// <summary>
/// Removal while another thread uses the object: a vCPU inside KVM_RUN, a reader inside guest memory, a dirty
/// log of a slot that was replaced. Each must end in a clear error or a completed call, never a fault or a hang.
/// The same scenarios run through the cmdlets in child processes in tests/Pester/Robustness.Tests.ps1.
/// </summary>
[Collection(ProcessWideCounts.Name)]
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(10);

    [KvmX86Fact]
    public void RemovingAVmWhoseVcpuIsInKvmRunReturnsWithinOneSecond()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        KvmVcpu[] vcpus = [SpinningGuest.Create(vm), SpinningGuest.Create(vm)];
        Task<VcpuExitOrError>[] runs = vcpus.Select(SpinningGuest.StartRun).ToArray();
        Assert.All(vcpus, v => Assert.True(v.IsRunning));
        Assert.All(runs, r => Assert.False(r.IsCompleted));

        TimeSpan? took = Timed.OnOwnThread(() => session.RemoveVm(vm), HangLimit);
        Assert.True(took.HasValue, $"RemoveVm did not return within {HangLimit.TotalSeconds} s");
        output.WriteLine($"Remove of a VM with 2 vCPUs in KVM_RUN took {took.Value.TotalMilliseconds:F1} ms");
        Console.WriteLine($"[KvmPS] Remove of a VM with 2 vCPUs in KVM_RUN took {took.Value.TotalMilliseconds:F1} ms");
        Assert.InRange(took.Value, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.True(Task.WaitAll(runs, HangLimit), "a kicked KVM_RUN did not return");
        Assert.All(runs, r => Assert.True(r.Result.Exit is { Interrupted: true } || r.Result.Error is KvmPSException { ErrorId: "VcpuRemoved" },
            $"run ended with {r.Result.Exit?.KernelName ?? r.Result.Error?.ToString()}"));
        Assert.All(vcpus, v => Assert.Equal("VcpuRemoved", Assert.Throws<KvmPSException>(() => v.QueryRegisters(null, null)).ErrorId));
    }

    [KvmX86Fact]
    public void DisposingTheSessionWithARunningVcpuReturnsAndReleasesItsThreadAndDescriptors()
    {
        using (var warmUp = new KvmSession(KernelInterface.Host))
        {
            KvmVcpu first = SpinningGuest.Create(warmUp.CreateVm());
            SpinningGuest.StartRun(first);
            first.Kick();   // the first kick sets up the runtime's signal handling, which keeps descriptors open
        }
        RealKvm.DescriptorSnapshot descriptors = RealKvm.Descriptors();
        int threads = ModuleThreads.Count();
        var session = new KvmSession(KernelInterface.Host);
        KvmVcpu vcpu = SpinningGuest.Create(session.CreateVm());
        Task<VcpuExitOrError> run = SpinningGuest.StartRun(vcpu);

        TimeSpan? took = Timed.OnOwnThread(session.Dispose, HangLimit);
        Assert.True(took.HasValue, "session dispose hung on a running vCPU");
        output.WriteLine($"Session dispose with a vCPU in KVM_RUN took {took.Value.TotalMilliseconds:F1} ms");
        Assert.InRange(took.Value, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.True(run.Wait(HangLimit));

        Assert.Equal(threads, ModuleThreads.SettleTo(threads, HangLimit));
        output.WriteLine(RealKvm.AssertNoDescriptorLeak(descriptors));
    }

    [KvmX86Fact]
    public void EveryCallOnARunningVcpuFailsAtOnceWithVcpuBusy()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVcpu vcpu = SpinningGuest.Create(session.CreateVm());
        Task<VcpuExitOrError> run = SpinningGuest.StartRun(vcpu);

        (string Name, Action Call)[] calls =
        [
            ("QueryRegisters", () => vcpu.QueryRegisters(null, null)),
            ("GetRegisters", () => vcpu.GetRegisters(KvmPS.Kvm.Registers.RegisterBank.General)),
            ("SetRegisters", () => vcpu.SetRegisters([new("rax", 1)])),
            ("Run", () => vcpu.Run(TimeSpan.FromMilliseconds(10))),
            ("RunOnce", () => vcpu.RunOnce()),
            ("CompleteRead", () => vcpu.CompleteRead([1])),
            ("SetHypercallReturn", () => vcpu.SetHypercallReturn(0)),
            ("OnVcpuThread", () => vcpu.OnVcpuThread(_ => 0)),
        ];
        foreach ((string name, Action call) in calls)
        {
            var clock = Stopwatch.StartNew();
            Exception? failure = null;
            Assert.True(Timed.OnOwnThread(() => failure = Record.Exception(call), HangLimit).HasValue, $"{name} waited on the running guest");
            var busy = Assert.IsType<KvmPSException>(failure);
            Assert.Equal("VcpuBusy", busy.ErrorId);
            Assert.Equal(ErrorKind.ResourceBusy, busy.Kind);
            Assert.Contains("stop the run", busy.Message);
            Assert.Contains("Ctrl+C", KvmPS.Commands.CmdletAdvice.For(busy.ErrorId));
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }
        Assert.False(run.IsCompleted);

        vcpu.Kick();
        Assert.True(run.Wait(HangLimit));
        Assert.True(run.Result.Exit?.Interrupted);
        Assert.NotEmpty(vcpu.QueryRegisters(null, ["rip"]));   // usable again once the run ended
    }

    [KvmFact]
    public void RemovingARegionWhileOtherThreadsReadAndWriteItNeverFaults() =>
        RemoveUnderAccess(removeVm: false, ["MemoryRegionRemoved", "GuestAddressNotMapped"]);

    [KvmFact]
    public void RemovingAVmWhileOtherThreadsReadAndWriteItsMemoryNeverFaults() =>
        RemoveUnderAccess(removeVm: true, ["MemoryRegionRemoved", "GuestAddressNotMapped", "VmRemoved"]);

    private void RemoveUnderAccess(bool removeVm, string[] expectedErrors)
    {
        const ulong Base = 0x100000;
        const int Size = 32 << 20;
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        GuestMemoryRegion region = vm.AddMemoryRegion(Base, Size);
        region.Write(Base + Size - 4, [1, 2, 3, 4]);
        string mapped = $"{region.HostAddress:x}-{region.HostAddress + Size:x} ";
        using var started = new CountdownEvent(4);
        Task<List<string>>[] workers = Enumerable.Range(0, 4).Select(i => Task.Factory.StartNew(() =>
        {
            var outcomes = new List<string>();
            started.Signal();
            for (int n = 0; n < 200; n++)
            {
                try
                {
                    if (i % 2 == 0)
                    {
                        byte[] copy = vm.ReadGuestMemory(Base, Size);
                        Assert.Equal(new byte[] { 1, 2, 3, 4 }, copy[^4..]);
                        outcomes.Add("read");
                    }
                    else
                    {
                        vm.WriteGuestMemory(Base, new byte[Size - 4]);
                        outcomes.Add("written");
                    }
                }
                catch (KvmPSException e)
                {
                    outcomes.Add(e.ErrorId);
                    break;
                }
            }
            return outcomes;
        }, TaskCreationOptions.LongRunning)).ToArray();
        started.Wait();
        Thread.Sleep(30);

        if (removeVm)
        {
            session.RemoveVm(vm);
        }
        else
        {
            vm.RemoveMemoryRegion(region);
        }

        Assert.True(Task.WaitAll(workers, HangLimit * 3), "an access did not finish after the removal");
        string[] ends = workers.Select(w => w.Result[^1]).ToArray();
        output.WriteLine($"each worker's last outcome: {string.Join(", ", ends)}");
        Assert.All(ends, end => Assert.Contains(end, expectedErrors));
        Assert.True(region.IsRemoved);
        // The munmap deferred to the last reader happened: the region's mapping is gone from the process.
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/maps"), line => line.StartsWith(mapped, StringComparison.Ordinal));
    }

    [KvmFact]
    public void TheDirtyLogOfARemovedRegionIsAClearErrorEvenWhenItsSlotWasReusedForALargerRegion()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        ulong page = (ulong)vm.Kernel.PageSize;
        GuestMemoryRegion old = vm.AddMemoryRegion(page, page, slot: 0, MemoryRegionFlags.LogDirtyPages);
        vm.RemoveMemoryRegion(old);
        GuestMemoryRegion current = vm.AddMemoryRegion(0x100000, 1 << 30, slot: 0, MemoryRegionFlags.LogDirtyPages);

        for (int i = 0; i < 20; i++)
        {
            var error = Assert.Throws<KvmPSException>(() => old.GetDirtyPages());
            Assert.Equal("MemoryRegionRemoved", error.ErrorId);
            Assert.Contains("slot 0", error.Message);
        }
        current.Write(0x100000 + 5 * page, [1]);
        Assert.Empty(current.GetDirtyPages());   // written by the host, not the guest: the kernel logs guest writes only
        GC.Collect();   // a bitmap written past its end would have corrupted the heap; the collector would find it
        GC.WaitForPendingFinalizers();
        session.RemoveVm(vm);
        Assert.Equal("MemoryRegionRemoved", Assert.Throws<KvmPSException>(() => current.GetDirtyPages()).ErrorId);
    }
}
