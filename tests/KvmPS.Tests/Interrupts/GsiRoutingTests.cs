using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;

namespace KvmPS.Tests.Interrupts;

public sealed class GsiRoutingTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86Fact]
    public void AGsiRoutedToAPicPinWakesAGuestWaitingOnThatPin()
    {
        const int irq = 5;
        const uint gsi = 30;
        KvmVcpu vcpu = InterruptGuests.Create(_session, InterruptGuests.PicWaiter(irq), InterruptGuests.PicVectorBase + irq);
        VmGsiRouting.Set(vcpu.Vm, [.. GsiRoute.X86Defaults(), GsiRoute.ToIrqchip(gsi, 0, irq), GsiRoute.ToMsi(31, 0xfee0_0000, 0x31)]);
        Task<VcpuExit> run = InterruptGuests.RunInBackground(vcpu);
        InterruptGuests.AssertWaiting(run, () => InterruptGuests.PicProgrammed(vcpu.Vm, irq));

        vcpu.Vm.SetIrqLine(gsi, true);
        vcpu.Vm.SetIrqLine(gsi, false);

        InterruptGuests.AssertReported(run);
    }

    [KvmX86Fact]
    public void RowsAreCheckedBeforeAnyIoctl()
    {
        KvmVm vm = _session.CreateVm();
        Assert.Equal("NoIrqchip", Assert.Throws<KvmPSException>(() => VmGsiRouting.Set(vm, GsiRoute.X86Defaults())).ErrorId);
        vm.CreateIrqchip();
        Assert.Equal("InvalidIrqchipPin", Assert.Throws<KvmPSException>(() => VmGsiRouting.Set(vm, [GsiRoute.ToIrqchip(1, 0, 8)])).ErrorId);
        Assert.Equal("InvalidIrqchipPin", Assert.Throws<KvmPSException>(() => VmGsiRouting.Set(vm, [GsiRoute.ToIrqchip(1, 3, 0)])).ErrorId);
        Assert.Equal("InvalidGsiRouteType", Assert.Throws<KvmPSException>(() => VmGsiRouting.Set(vm, [new GsiRoute { Type = (GsiRouteType)7 }])).ErrorId);
        Assert.Equal("NullArgument", Assert.Throws<KvmPSException>(() => VmGsiRouting.Set(vm, [null!])).ErrorId);
    }

    [Fact]
    public void TheX86DefaultsRouteGsi0ToIoapicPin2AndEveryLegacyGsiToThePicsToo()
    {
        IReadOnlyList<GsiRoute> routes = GsiRoute.X86Defaults();
        Assert.Equal(40, routes.Count);
        Assert.Contains(routes, r => r is { Gsi: 0, Irqchip: 2, Pin: 2 });
        Assert.Contains(routes, r => r is { Gsi: 9, Irqchip: 1, Pin: 1 });
        Assert.DoesNotContain(routes, r => r.Gsi >= 16 && r.Irqchip != 2);
    }
}
