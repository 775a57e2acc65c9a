using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;

namespace KvmPS.Tests.Interrupts;

/// <summary>KVM_INTERRUPT, KVM_NMI and KVM_SIGNAL_MSI on the real /dev/kvm, each waking a halted real-mode guest.</summary>
public sealed class InjectionTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86Fact]
    public void WithoutAnIrqchipKvmInterruptDeliversTheVectorAfterTheHltExit()
    {
        const byte vector = 0x30;
        KvmVcpu vcpu = InterruptGuests.Create(_session, InterruptGuests.Waiter(), vector, irqchip: false);
        Assert.Equal(KvmExitReason.Hlt, vcpu.Run(TimeSpan.FromSeconds(10)).Reason);

        VcpuInterrupts.Interrupt(vcpu, vector);

        InterruptGuests.AssertReported(Task.FromResult(vcpu.Run(TimeSpan.FromSeconds(10))));
    }

    [KvmX86Fact]
    public void KvmInterruptIsRefusedWithAnInKernelIrqchipAndOutsideTheVectors()
    {
        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();
        KvmVcpu vcpu = vm.CreateVcpu();
        var error = Assert.Throws<KvmPSException>(() => VcpuInterrupts.Interrupt(vcpu, 0x30));
        Assert.Equal("IrqchipInKernel", error.ErrorId);
        Assert.Contains("KVM_IRQ_LINE", error.Message, StringComparison.Ordinal);
        Assert.Contains("Set-KvmIrqLine", KvmPS.Commands.CmdletAdvice.For(error.ErrorId), StringComparison.Ordinal);
        Assert.Equal("InvalidInterruptVector", Assert.Throws<KvmPSException>(() => VcpuInterrupts.Interrupt(vcpu, 256)).ErrorId);
    }

    [KvmX86Fact]
    public void AnNmiWakesAHaltedGuestThroughVector2()
    {
        KvmVcpu vcpu = InterruptGuests.Create(_session, [0xfa, .. InterruptGuests.Waiter()[1..]], vector: 2, irqchip: false);   // cli: only an NMI can wake it
        Assert.Equal(KvmExitReason.Hlt, vcpu.Run(TimeSpan.FromSeconds(10)).Reason);

        VcpuInterrupts.Nmi(vcpu);

        InterruptGuests.AssertReported(Task.FromResult(vcpu.Run(TimeSpan.FromSeconds(10))));
    }

    /// <summary>The LAPIC resets software-disabled: an MSI to a guest that did not enable it is blocked (status 0).</summary>
    [KvmX86Fact]
    public void AnMsiToTheBootApicWakesAGuestHaltedInTheKernel()
    {
        const byte vector = 0x31;
        KvmVcpu vcpu = InterruptGuests.Create(_session, InterruptGuests.LapicWaiter(), vector);
        Assert.Equal(InterruptGuests.ReadyPort, Assert.IsType<IoExit>(vcpu.Run(TimeSpan.FromSeconds(10))).Port);   // the LAPIC is enabled
        Task<VcpuExit> run = InterruptGuests.RunInBackground(vcpu);
        InterruptGuests.AssertWaiting(run, () => true);

        MsiResult result = VmMsi.Signal(vcpu.Vm, 0xfee0_0000, vector);

        InterruptGuests.AssertReported(run);
        Assert.True(result.Delivered, $"KVM_SIGNAL_MSI answered {result.Status}");
    }

    [KvmX86Fact]
    public void AnMsiIsSignalledThroughTheInKernelIrqchip()
    {
        KvmVm vm = _session.CreateVm();
        Assert.Equal("NoIrqchip", Assert.Throws<KvmPSException>(() => VmMsi.Signal(vm, 0xfee0_0000, 0x31)).ErrorId);
        vm.CreateIrqchip();
        vm.CreateVcpu();

        MsiResult result = VmMsi.Signal(vm, 0xfee0_0000, 0x31);

        Assert.Equal((vm.Id, 0xfee0_0000ul, 0x31u), (result.VmId, result.Address, result.Data));
        Assert.True(result.Status >= 0, $"KVM_SIGNAL_MSI answered {result.Status}");
    }
}
