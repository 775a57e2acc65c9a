using KvmPS.Interop;
using KvmPS.Kvm.Exits;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;

namespace KvmPS.Tests.Interrupts;

public sealed class IrqchipTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86Fact]
    public void AVmHasOneIrqchipCreatedBeforeItsVcpus()
    {
        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();
        Assert.Equal("IrqchipExists", Assert.Throws<KvmPSException>(vm.CreateIrqchip).ErrorId);

        KvmVm late = _session.CreateVm();
        late.CreateVcpu();
        var error = Assert.Throws<KvmPSException>(late.CreateIrqchip);
        Assert.Equal("IrqchipAfterVcpus", error.ErrorId);
        Assert.NotNull(error.RecommendedAction);
    }

    [KvmX86Fact]
    public void WithoutAnIrqchipItsStateAndLinesAreRefusedBeforeAnyIoctl()
    {
        KvmVm vm = _session.CreateVm();
        Assert.Equal("NoIrqchip", Assert.Throws<KvmPSException>(() => VmIrqchip.Get(vm, IrqchipId.PicMaster)).ErrorId);
        Assert.Equal("NoIrqchip", Assert.Throws<KvmPSException>(() => vm.SetIrqLineReportingStatus(4, true)).ErrorId);
    }

    [KvmX86Fact]
    public void TheThreeChipsReadAndWriteBack()
    {
        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();

        IReadOnlyList<IrqchipState> chips = VmIrqchip.GetAll(vm);

        Assert.Equal([IrqchipId.PicMaster, IrqchipId.PicSlave, IrqchipId.Ioapic], chips.Select(c => c.Chip));
        Assert.All(chips, c => Assert.Equal(IrqchipState.ChipBytes, c.Raw.Length));
        Assert.Equal(0xfec0_0000ul, chips[2].Ioapic!.BaseAddress);
        Assert.Null(chips[2].Pic);
        Assert.Equal(1ul << 16, chips[2].Ioapic!.GetRedirection(0) & (1ul << 16));   // pins start masked

        IrqchipState master = chips[0];
        master.Pic!.Imr = 0xa5;
        master.Pic.IrqBase = 0x30;
        VmIrqchip.Set(vm, master);
        IoapicState ioapic = chips[2].Ioapic!;
        ioapic.SetRedirection(3, 0x0000_0000_0000_0033);
        VmIrqchip.Set(vm, chips[2]);

        PicState read = VmIrqchip.Get(vm, IrqchipId.PicMaster).Pic!;
        Assert.Equal((0xa5, 0x30), (read.Imr, read.IrqBase));
        Assert.Equal(0x33ul, VmIrqchip.Get(vm, IrqchipId.Ioapic).Ioapic!.GetRedirection(3));
    }

    [Fact]
    public void AChipStateIsExactlyTheUnionsSize() =>
        Assert.Equal("InvalidIrqchipState", Assert.Throws<KvmPSException>(() => new IrqchipState(IrqchipId.Ioapic, new byte[4])).ErrorId);

    [KvmX86Fact]
    public void AGuestHaltedWithInterruptsEnabledWakesOnIrqLineThroughThePic()
    {
        const int irq = 5;
        KvmVcpu vcpu = InterruptGuests.Create(_session, InterruptGuests.PicWaiter(irq), InterruptGuests.PicVectorBase + irq);
        Task<VcpuExit> run = InterruptGuests.RunInBackground(vcpu);
        InterruptGuests.AssertWaiting(run, () => InterruptGuests.PicProgrammed(vcpu.Vm, irq));

        IrqLineResult raised = vcpu.Vm.SetIrqLineReportingStatus(irq, true);
        vcpu.Vm.SetIrqLine(irq, false);

        InterruptGuests.AssertReported(run);
        if (vcpu.Vm.CheckExtension(KvmCapability.IrqInjectStatus) > 0)
        {
            Assert.True(raised.Delivered, $"KVM_IRQ_LINE_STATUS answered {raised.Status}");
        }
    }
}
