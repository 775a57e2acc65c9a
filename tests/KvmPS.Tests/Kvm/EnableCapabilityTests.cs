using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Kvm;

/// <summary>KVM_ENABLE_CAP on a VM and on a vCPU (api.txt 4.37).</summary>
public sealed class EnableCapabilityTests
{
    [KvmX86Fact]
    public void AVmCapabilityAndAVcpuCapabilityAreEnabledOnTheRealKvm()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        if (vm.CheckExtension(KvmCapability.HaltPoll) > 0)
        {
            vm.EnableCapability(KvmCapability.HaltPoll, [200_000]);
        }
        KvmVcpu vcpu = vm.CreateVcpu();
        if (vm.CheckExtension(KvmCapability.EnforcePvFeatureCpuid) > 0)
        {
            vcpu.EnableCapability(KvmCapability.EnforcePvFeatureCpuid, [1]);
        }
        // A VM capability on a vCPU: the kernel's EINVAL comes back with the hint about where capabilities are enabled.
        var refused = Assert.Throws<KvmIoctlException>(() => vcpu.EnableCapability(KvmCapability.HaltPoll, [1]));
        Assert.Equal("KVM_ENABLE_CAP.EINVAL", refused.ErrorId);
        Assert.Contains("on a vCPU", refused.Message);
    }

    [Fact]
    public void AHostWithoutEnableCapOnVcpusSaysSoBeforeTheIoctl()
    {
        (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(CpuArchitecture.X86_64);
        kvm.Capabilities.Remove(KvmCapability.EnableCap);
        using var session = new KvmSession(kernel.Kernel);
        KvmVcpu vcpu = session.CreateVm().CreateVcpu();
        var error = Assert.Throws<KvmPSException>(() => vcpu.EnableCapability(KvmCapability.EnforcePvFeatureCpuid, [1]));
        Assert.Equal("KVM_CAP_ENABLE_CAP.NotSupported", error.ErrorId);
    }
}
