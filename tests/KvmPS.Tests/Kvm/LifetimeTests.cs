using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Kvm;

[Collection(ProcessWideCounts.Name)]
public sealed class LifetimeTests
{
    [KvmFact]
    public void AThousandVmCyclesLeaveDescriptorsAndMappingsUnchanged()
    {
        using var session = new KvmSession(KernelInterface.Host);
        _ = session.System;   // /dev/kvm stays open for the session, like the module's
        void Cycle()
        {
            KvmVm vm = session.CreateVm();
            vm.AddMemoryRegion(0x1000, 0x1000).Write(0x1000, [1, 2, 3]);
            if (vm.Vcpus.Count == 0 && vm.Id % 10 == 0)
            {
                vm.CreateVcpu();   // a vCPU (thread, fd, kvm_run mapping) every tenth cycle
            }
            session.RemoveVm(vm);
        }
        for (int i = 0; i < 20; i++)
        {
            Cycle();   // warm-up: runtime threads and lazy statics settle
        }
        RealKvm.DescriptorSnapshot descriptors = RealKvm.Descriptors();
        int mappings = RealKvm.MappingCount();

        for (int i = 0; i < 1000; i++)
        {
            Cycle();
        }

        RealKvm.AssertNoDescriptorLeak(descriptors);
        // Each cycle maps guest memory; a leak would add ~1000 mappings. The runtime's own heap and thread
        // caches may add a few, so the bound is far below one per cycle.
        Assert.InRange(RealKvm.MappingCount(), mappings - 100, mappings + 100);
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/maps"), line => line.Contains("kvm-vcpu", StringComparison.Ordinal));
        Assert.Empty(session.Vms);
    }

    [KvmFact]
    public void VcpuIoctlsRunOnTheVcpusOwnThreadWhoeverCalls()
    {
        var recording = new RecordingSyscalls(LibcSyscalls.Instance);
        using var session = new KvmSession(new KernelInterface(recording, CpuArchitectures.RequireHost(), Environment.SystemPageSize));
        KvmVm vm = session.CreateVm();
        KvmVcpu vcpu = vm.CreateVcpu();
        int testThread = Environment.CurrentManagedThreadId;

        Task.WaitAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => vcpu.QueryRegisters(null, null))).ToArray());
        vcpu.QueryRegisters(null, null);
        new Thread(() => vcpu.QueryRegisters(null, null)).Start();
        Thread.Sleep(200);

        uint createVcpu = KvmPS.Interop.Ioctls.KvmVmIoctls.CreateVcpu.RequestOn(vm.Kernel.Architecture);
        // KVM_CREATE_VCPU is a VM ioctl, issued by the caller; the vCPU's own thread starts with its first vCPU ioctl.
        var created = Assert.Single(recording.Ioctls, c => c.Request == createVcpu);
        Assert.Equal(testThread, created.ThreadId);
        Assert.NotEqual(testThread, vcpu.ThreadId);
        uint[] vcpuRequests = [.. new[] { KvmPS.Interop.Ioctls.KvmVcpuIoctls.GetRegs, KvmPS.Interop.Ioctls.KvmVcpuIoctls.GetSregs }
            .Where(i => i.IsDefinedOn(vm.Kernel.Architecture)).Select(i => i.RequestOn(vm.Kernel.Architecture))];
        var vcpuCalls = recording.Ioctls.Where(c => vcpuRequests.Contains(c.Request)).ToArray();
        Assert.NotEmpty(vcpuCalls);
        Assert.All(vcpuCalls, c => Assert.Equal(vcpu.ThreadId, c.ThreadId));
    }

    [KvmFact]
    public void RemovedVmRejectsFurtherUseClearly()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        KvmVcpu vcpu = vm.CreateVcpu();
        session.RemoveVm(vm);
        Assert.Equal("VmRemoved", Assert.Throws<KvmPSException>(() => vm.CreateVcpu()).ErrorId);
        Assert.Equal("VcpuRemoved", Assert.Throws<KvmPSException>(() => vcpu.Run()).ErrorId);
        Assert.Equal("VmNotFound", Assert.Throws<KvmPSException>(() => session.GetVm(vm.Id)).ErrorId);
    }
}
