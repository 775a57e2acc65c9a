using KvmPS.Kvm;

namespace KvmPS.Tests.Robustness;

/// <summary>An x86 real-mode vCPU whose guest loops forever (l: jmp l), so KVM_RUN only returns when kicked.</summary>
internal static class SpinningGuest
{
    public static readonly byte[] Loop = [0xEB, 0xFE];

    public static KvmVcpu Create(KvmVm vm, ulong address = EmbeddedGuest.LoadAddress)
    {
        if (!vm.MemoryRegions.Any(r => r.Contains(address, (ulong)Loop.Length)))
        {
            vm.AddMemoryRegion(address, (ulong)vm.Kernel.PageSize);
        }
        vm.WriteGuestMemory(address, Loop);
        KvmVcpu vcpu = vm.CreateVcpu();
        vcpu.SetRegisters(EmbeddedGuest.RealModeEntry(address));
        return vcpu;
    }

    /// <summary>Starts one KVM_RUN on a pool thread and returns once the guest is inside it.</summary>
    public static Task<VcpuExitOrError> StartRun(KvmVcpu vcpu)
    {
        // A dedicated thread, not the pool: blocked pool threads would delay the tests' own tasks.
        var run = Task.Factory.StartNew(() =>
        {
            try
            {
                return new VcpuExitOrError(vcpu.Run(), null);
            }
            catch (Exception e)
            {
                return new VcpuExitOrError(null, e);
            }
        }, TaskCreationOptions.LongRunning);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (vcpu.RunCount == 0 && !run.IsCompleted && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }
        Thread.Sleep(50);   // let the thread get past admission into the guest
        return run;
    }
}

internal sealed record VcpuExitOrError(KvmPS.Kvm.Exits.VcpuExit? Exit, Exception? Error);

internal static class Timed
{
    /// <summary>Runs <paramref name="action"/> on its own thread; returns its duration, or null if it did not end within <paramref name="limit"/>.</summary>
    public static TimeSpan? OnOwnThread(Action action, TimeSpan limit)
    {
        TimeSpan elapsed = default;
        var thread = new Thread(() =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            action();
            elapsed = clock.Elapsed;
        }) { IsBackground = true };
        thread.Start();
        return thread.Join(limit) ? elapsed : null;
    }
}
