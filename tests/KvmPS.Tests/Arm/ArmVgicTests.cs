using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Arm;

namespace KvmPS.Tests.Arm;

public class ArmVgicTests
{
    [Theory]
    [InlineData(ArmDevice.VgicV2, 5u)]
    [InlineData(ArmDevice.VgicV3, 7u)]
    public void Creates_the_device_type_of_the_version(ArmDevice device, uint type)
    {
        using var t = new ArmTestVm();
        KvmDevice vgic = ArmVgic.Create(t.Vm, device);
        Assert.Equal(type, vgic.Type);
        Assert.Equal(ArmVgic.KernelName(device), vgic.TypeName);
        Assert.True(t.Vm.HasIrqchip);
        Assert.Equal(type, Assert.Single(t.Kernel.Vm.Devices).Type);
    }

    [Fact]
    public void A_second_interrupt_controller_is_refused()
    {
        using var t = new ArmTestVm();
        ArmVgic.Create(t.Vm, ArmDevice.VgicV3);
        var error = Assert.Throws<KvmPSException>(() => ArmVgic.Create(t.Vm, ArmDevice.VgicV2));
        Assert.Equal("ArmIrqchipExists", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, error.Kind);
    }

    [Fact]
    public void A_device_the_host_does_not_offer_is_not_supported_here()
    {
        using var t = new ArmTestVm(configure: arm => arm.OfferedDevices.Remove(ArmVgic.DeviceTypeV2));
        Assert.False(ArmVgic.HostOffers(t.Vm, ArmDevice.VgicV2));
        Assert.True(ArmVgic.HostOffers(t.Vm, ArmDevice.VgicV3));
        var error = Assert.Throws<KvmPSException>(() => ArmVgic.Create(t.Vm, ArmDevice.VgicV2));
        Assert.Equal("KVM_DEV_TYPE_ARM_VGIC_V2.NotSupported", error.ErrorId);
        Assert.Equal(ErrorKind.NotImplemented, error.Kind);
        Assert.Empty(t.Kernel.Vm.Devices);
    }

    [Fact]
    public void Creation_after_a_vcpu_ran_is_refused()
    {
        using var t = new ArmTestVm();
        t.RanVcpu();
        Assert.Equal("ArmVgicAfterVcpuRan", Assert.Throws<KvmPSException>(() => ArmVgic.Create(t.Vm, ArmDevice.VgicV3)).ErrorId);
    }
}
