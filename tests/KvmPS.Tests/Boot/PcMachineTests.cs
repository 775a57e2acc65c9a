using KvmPS.Boot;
using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Tests.Boot;

/// <summary>New-KvmVm -Memory -Smp: RAM from 0, the irqchip before the vCPUs, and nothing left behind on failure.</summary>
public sealed class PcMachineTests
{
    [KvmX86Fact]
    public void SmpCreatesTheIrqchipFirstSoApplicationProcessorsWaitForSipi()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = PcMachine.Create(session, 0, 16ul << 20, 2);
        Assert.True(vm.HasIrqchip);
        Assert.Equal([0, 1], vm.Vcpus.Select(v => v.Id));
        Assert.Equal(KvmMpState.Runnable, VcpuMpState.Get(vm.Vcpus[0]));
        Assert.Equal(KvmMpState.Uninitialized, VcpuMpState.Get(vm.Vcpus[1]));
        GuestMemoryRegion ram = Assert.Single(vm.MemoryRegions);
        Assert.Equal((0ul, 16ul << 20), (ram.GuestAddress, ram.Size));
    }

    [KvmX86Fact]
    public void ARefusedStepRemovesTheVmAgain()
    {
        using var session = new KvmSession(KernelInterface.Host);
        Assert.Equal("InvalidMemorySize", Assert.Throws<KvmPSException>(() => PcMachine.Create(session, 0, 4ul << 30, 1)).ErrorId);
        Assert.Equal("InvalidMemorySize", Assert.Throws<KvmPSException>(() => PcMachine.Create(session, 0, (1ul << 20) + 1, null)).ErrorId);
        Assert.Equal("InvalidSmp", Assert.Throws<KvmPSException>(() => PcMachine.Create(session, 0, null, 0)).ErrorId);
        Assert.Empty(session.Vms);
    }

    [KvmX86Fact]
    public void VcpusAndRamAreAddedOnlyToAVmWithout()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        vm.CreateVcpu();
        vm.AddMemoryRegion(0x1000, 0x1000);
        Assert.Equal("VmHasVcpus", Assert.Throws<KvmPSException>(() => PcMachine.AddVcpus(vm, 2)).ErrorId);
        Assert.Equal("VmHasMemory", Assert.Throws<KvmPSException>(() => PcMachine.AddRam(vm, 1ul << 20)).ErrorId);
    }
}
