using KvmPS.Boot;
using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;

namespace KvmPS.Tests.Boot;

/// <summary>The smp kernel with the in-kernel irqchip: the APs run on their own threads until the BSP is done.</summary>
public sealed class SmpKernelTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [TestKernelTheory(realKvm: true)]
    [InlineData(2)]
    [InlineData(4)]
    public void TheBspStartsEveryApWithInitAndSipi(ushort cpus)
    {
        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();
        LoadedKernel kernel = KernelLoader.Load(vm, MultibootImage.Parse(TestKernels.Read("smp")), "", [], 16 << 20);
        KvmVcpu[] vcpus = Enumerable.Range(0, cpus).Select(id => vm.CreateVcpu(id)).ToArray();
        foreach (KvmVcpu vcpu in vcpus)
        {
            X86Cpuid.SetHostCpuid(vcpu, cpus);
        }
        X86EntryState.Apply(vcpus[0], kernel);
        Assert.Equal(KvmMpState.Uninitialized, VcpuMpState.Get(vcpus[1]));

        using var done = new CancellationTokenSource();
        Task[] aps = vcpus.Skip(1).Select(ap => Task.Factory.StartNew(() =>
        {
            while (!done.IsCancellationRequested)
            {
                try
                {
                    ap.Run(TimeSpan.FromMilliseconds(200));   // the AP halts in the kernel; the timeout brings it back
                }
                catch (KvmIoctlException e) when (e.ErrnoValue == Errno.EAGAIN)
                {
                    // An AP waiting for INIT/SIPI (KVM_MP_STATE_UNINITIALIZED) returns EAGAIN from KVM_RUN: run again.
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        KernelRun run;
        try
        {
            run = KernelStepper.Run(vcpus[0], cpus, timeout: TimeSpan.FromSeconds(60));
        }
        finally
        {
            done.Cancel();
            Task.WaitAll(aps, TimeSpan.FromSeconds(10));
        }

        Assert.Equal(($"smp: fw_cfg cpus={cpus}\nPASS: smp cpus={cpus}\n", 0), (run.Output, run.DebugExitValue));
    }
}
