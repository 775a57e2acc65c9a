using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

/// <summary>The real /dev/kvm of this x86_64 machine: the KVM-VFIO device exists, the sPAPR TCE link does not.</summary>
public sealed class VfioRealHostTests
{
    [KvmFact]
    public void TheKvmVfioDeviceIsCreatedAndTceLinkingIsRefusedOffPower()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        KvmVfioDevice vfio = KvmVfioDevice.For(vm);
        Assert.Equal(KvmVfioAttributes.DeviceType, vfio.Device.Type);
        if (KernelInterface.Host.Architecture != CpuArchitecture.PowerPC64LE)
        {
            Assert.Equal(0, vm.CheckExtension(KvmCapability.SpaprTceVfio));
            var e = Assert.Throws<KvmPSException>(() => vfio.SetSpaprTce(null!, vfio.Device.Handle));
            Assert.Equal("KvmVfioSpaprTceNotOnArchitecture", e.ErrorId);
        }
    }
}
