using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Interrupts;

public sealed class ClockTests : IDisposable
{
    private readonly KvmSession _session = new(KernelInterface.Host);

    public void Dispose() => _session.Dispose();

    [KvmX86Fact]
    public void TheKvmclockIsSetAndKeepsRunning()
    {
        KvmVm vm = _session.CreateVm();
        const ulong start = 1_000_000_000_000;

        VmClock.Set(vm, start);
        KvmClock clock = VmClock.Get(vm);

        Assert.InRange(clock.Clock, start, start + 60_000_000_000);
        Assert.Equal(vm.Id, clock.VmId);
    }

    [KvmX86Fact]
    public void TheGuestTscFrequencyIsReadAndSetWhereTheHostScales()
    {
        KvmVcpu vcpu = _session.CreateVm().CreateVcpu();
        uint khz = VcpuTscKhz.Get(vcpu);
        Assert.True(khz > 0);

        if (vcpu.Vm.CheckExtension(KvmCapability.TscControl) > 0)
        {
            VcpuTscKhz.Set(vcpu, khz);
            Assert.Equal(khz, VcpuTscKhz.Get(vcpu));
        }
        else
        {
            Assert.Equal("KVM_CAP_TSC_CONTROL.NotSupported", Assert.Throws<KvmPSException>(() => VcpuTscKhz.Set(vcpu, khz)).ErrorId);
        }
        Assert.Equal("InvalidTscFrequency", Assert.Throws<KvmPSException>(() => VcpuTscKhz.Set(vcpu, 0)).ErrorId);
    }

    [Fact]
    public void AHostWithoutTheCapabilityIsToldSoBeforeAnyIoctl()
    {
        (KernelDouble kernel, KvmDouble _) = KvmDouble.Create(CpuArchitecture.X86_64);
        using var session = new KvmSession(kernel.Kernel);
        KvmVm vm = session.CreateVm();

        var error = Assert.Throws<KvmPSException>(() => VmClock.Get(vm));

        Assert.Equal("KVM_CAP_ADJUST_CLOCK.NotSupported", error.ErrorId);
        Assert.Equal(ErrorKind.NotImplemented, error.Kind);
        Assert.Contains("Get-KvmCapability -Name KVM_CAP_ADJUST_CLOCK", KvmPS.Commands.CmdletAdvice.For(error.ErrorId), StringComparison.Ordinal);
    }
}
