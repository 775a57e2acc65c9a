using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;

namespace KvmPS.Tests.Interrupts;

/// <summary>KVM_IOEVENTFD and KVM_IRQFD on the real /dev/kvm, checked by real-mode guests.</summary>
public sealed class EventFdTests : IDisposable
{
    private const ushort Doorbell = 0x600;
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    /// <summary>mov dx,0x600 / mov al,0x11 / out dx,al / mov al,0x22 / out dx,al / mov dx,0xf4 / out dx,al / hlt</summary>
    private static readonly byte[] TwoDoorbellWrites =
        [0xba, 0x00, 0x06, 0xb0, 0x11, 0xee, 0xb0, 0x22, 0xee, 0xba, 0xf4, 0x00, 0xee, 0xf4];

    [KvmX86Fact]
    public void AnIoeventfdWithDataMatchFiresOnlyOnTheMatchingWriteWhichDoesNotExit()
    {
        KvmVcpu vcpu = InterruptGuests.Create(_session, TwoDoorbellWrites, vector: 0, irqchip: false);
        KvmIoeventfd doorbell = KvmIoeventfd.Assign(vcpu.Vm, Doorbell, 1, pio: true, dataMatch: 0x22);

        var first = Assert.IsType<IoExit>(vcpu.Run(TimeSpan.FromSeconds(10)));
        Assert.Equal((Doorbell, (byte)0x11), (first.Port, first.Data[0]));
        Assert.Equal(0ul, doorbell.Count);

        var next = Assert.IsType<IoExit>(vcpu.Run(TimeSpan.FromSeconds(10)));
        Assert.Equal((ushort)0xf4, next.Port);
        Assert.Equal(1ul, doorbell.Count);
        Assert.Equal(1ul, doorbell.Count);   // reading does not lose what was counted
    }

    [KvmX86Fact]
    public void AnIoeventfdIsRemovedOnceAndClosedWithItsVm()
    {
        KvmVm vm = _session.CreateVm();
        KvmIoeventfd removed = KvmIoeventfd.Assign(vm, Doorbell, 2, pio: true);
        KvmIoeventfd kept = KvmIoeventfd.Assign(vm, 0xd000_0000, 4, dataMatch: 7);

        removed.Remove();

        Assert.True(removed.IsRemoved);
        Assert.Equal("IoeventfdRemoved", Assert.Throws<KvmPSException>(removed.Remove).ErrorId);
        Assert.Equal([kept], vm.Dependents<KvmIoeventfd>());
        _session.RemoveVm(vm);
        Assert.True(kept.IsRemoved);
    }

    [KvmX86Fact]
    public void IoeventfdArgumentsAreCheckedBeforeAnyIoctl()
    {
        KvmVm vm = _session.CreateVm();
        Assert.Equal("InvalidIoeventfdLength", Assert.Throws<KvmPSException>(() => KvmIoeventfd.Assign(vm, Doorbell, 3, pio: true)).ErrorId);
        Assert.Equal("InvalidPort", Assert.Throws<KvmPSException>(() => KvmIoeventfd.Assign(vm, 0x10000, 1, pio: true)).ErrorId);
        Assert.Equal("DataMatchNeedsLength", Assert.Throws<KvmPSException>(() => KvmIoeventfd.Assign(vm, Doorbell, 0, pio: true, dataMatch: 1)).ErrorId);
    }

    [KvmX86Fact]
    public void AGuestHaltedWithInterruptsEnabledWakesOnAnIrqfdSignal()
    {
        const int irq = 5;
        KvmVcpu vcpu = InterruptGuests.Create(_session, InterruptGuests.PicWaiter(irq), InterruptGuests.PicVectorBase + irq);
        KvmIrqfd irqfd = KvmIrqfd.Assign(vcpu.Vm, irq);
        Task<VcpuExit> run = InterruptGuests.RunInBackground(vcpu);
        InterruptGuests.AssertWaiting(run, () => InterruptGuests.PicProgrammed(vcpu.Vm, irq));

        irqfd.Signal();

        InterruptGuests.AssertReported(run);
    }

    [KvmX86CapabilityFact(KvmCapability.IrqfdResample)]
    public void AResampleIrqfdIsSignalledWhenTheGuestAcknowledgesTheInterrupt()
    {
        const int irq = 5;
        KvmVcpu vcpu = InterruptGuests.Create(_session, InterruptGuests.PicWaiterAcknowledging(irq), InterruptGuests.PicVectorBase + irq,
            handlerLength: InterruptGuests.AcknowledgingHandlerLength);
        KvmIrqfd irqfd = KvmIrqfd.Assign(vcpu.Vm, irq, resample: true);
        Task<VcpuExit> run = InterruptGuests.RunInBackground(vcpu);
        InterruptGuests.AssertWaiting(run, () => InterruptGuests.PicProgrammed(vcpu.Vm, irq));
        Assert.Equal(0ul, irqfd.ResampleCount);

        irqfd.Signal();

        InterruptGuests.AssertReported(run);   // the handler's EOI came before its report
        Assert.Equal(1ul, irqfd.ResampleCount);
    }

    [KvmX86Fact]
    public void AnIrqfdNeedsAnIrqchipIsRemovedOnceAndClosedWithItsVm()
    {
        KvmVm vm = _session.CreateVm();
        Assert.Equal("NoIrqchip", Assert.Throws<KvmPSException>(() => KvmIrqfd.Assign(vm, 4)).ErrorId);
        vm.CreateIrqchip();
        KvmIrqfd removed = KvmIrqfd.Assign(vm, 4);
        KvmIrqfd kept = KvmIrqfd.Assign(vm, 10, resample: vm.CheckExtension(KvmCapability.IrqfdResample) > 0);

        removed.Remove();

        Assert.Equal("IrqfdRemoved", Assert.Throws<KvmPSException>(removed.Signal).ErrorId);
        kept.Signal();
        Assert.Equal(0ul, kept.ResampleCount);   // the guest has not acknowledged it
        _session.RemoveVm(vm);
        Assert.True(kept.IsRemoved);
    }
}
