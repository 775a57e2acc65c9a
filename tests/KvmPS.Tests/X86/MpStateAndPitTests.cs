using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Tests.X86;

public sealed class MpStateAndPitTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86Fact]
    public void WithTheInKernelIrqchipApsStartUninitializedAndStatesRoundTrip()
    {
        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();
        KvmVcpu bsp = vm.CreateVcpu(0);
        KvmVcpu ap = vm.CreateVcpu(1);

        Assert.Equal(KvmMpState.Runnable, VcpuMpState.Get(bsp));
        Assert.Equal(KvmMpState.Uninitialized, VcpuMpState.Get(ap));

        VcpuMpState.Set(ap, KvmMpState.Halted);
        Assert.Equal(KvmMpState.Halted, VcpuMpState.Get(ap));
        VcpuMpState.Set(ap, KvmMpState.Runnable);
        Assert.Equal(KvmMpState.Runnable, VcpuMpState.Get(ap));
    }

    [KvmX86Fact]
    public void WithoutAnIrqchipOnlyRunnableIsAccepted()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();

        VcpuMpState.Set(vcpu, KvmMpState.Runnable);
        var error = Assert.Throws<KvmIoctlException>(() => VcpuMpState.Set(vcpu, KvmMpState.Halted));

        Assert.Equal("KVM_SET_MP_STATE.EINVAL", error.ErrorId);
        Assert.Contains("irqchip", error.RecommendedAction, StringComparison.Ordinal);
    }

    [KvmFact]
    public void AnUndefinedStateIsRefusedBeforeAnyIoctl()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        Assert.Equal("InvalidMpState", Assert.Throws<KvmPSException>(() => VcpuMpState.Set(vcpu, (KvmMpState)42)).ErrorId);
    }

    [KvmX86Fact]
    public void APitIsCreatedOnce()
    {
        KvmVm vm = _session.CreateVm();
        vm.CreateIrqchip();

        vm.CreatePit2(speakerDummy: true);

        Assert.True(vm.HasPit);
        Assert.Equal("KVM_CREATE_PIT2.EEXIST", Assert.Throws<KvmIoctlException>(() => vm.CreatePit2()).ErrorId);
    }
}
