using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Arm;

namespace KvmPS.Tests.Arm;

public class ArmDeviceAddressTests
{
    private const ulong GicDist = 0x0800_0000;
    private const ulong GicCpu = 0x0801_0000;

    [Fact]
    public void Legacy_sends_the_encoded_id_after_create_irqchip()
    {
        using var t = new ArmTestVm();
        t.Vm.CreateIrqchip();

        ArmDeviceAddress dist = ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist, ArmDeviceAddressMethod.Legacy);
        Assert.Equal((0x0000_0000ul, GicDist), t.Kernel.LastDeviceAddr);
        ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.CpuInterface, GicCpu, ArmDeviceAddressMethod.Legacy);
        Assert.Equal((0x0000_0001ul, GicCpu), t.Kernel.LastDeviceAddr);

        Assert.Equal(ArmDeviceAddressMethod.Legacy, dist.Method);
        Assert.Equal(0ul, dist.Id);
        Assert.Equal(0x1000ul, dist.Size);
        Assert.Equal(GicDist, t.Kernel.Bases[0]);
        Assert.Equal(GicCpu, t.Kernel.Bases[1]);
        Assert.Equal(2, ArmDeviceAddresses.Get(t.Vm).Count);
    }

    [Fact]
    public void A_raw_id_for_a_vgic_v2_frame_gets_the_same_checks_and_encoding()
    {
        using var t = new ArmTestVm();
        t.Vm.CreateIrqchip();
        ArmDeviceAddress cpu = ArmDeviceAddresses.SetById(t.Vm, 0x1, GicCpu, ArmDeviceAddressMethod.Legacy);
        Assert.Equal(ArmAddressType.CpuInterface, cpu.AddressType);
        Assert.Equal((1ul, GicCpu), t.Kernel.LastDeviceAddr);
        Assert.Equal("ArmDeviceAddressMisaligned",
            Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.SetById(t.Vm, 0x0, GicDist + 0x10, ArmDeviceAddressMethod.Legacy)).ErrorId);
    }

    [Fact]
    public void An_unknown_device_id_reaches_the_kernel_which_answers_enodev()
    {
        using var t = new ArmTestVm();
        t.Vm.CreateIrqchip();
        var error = Assert.Throws<KvmIoctlException>(() => ArmDeviceAddresses.SetById(t.Vm, 0x0001_0000, GicDist));
        Assert.Equal("KVM_ARM_SET_DEVICE_ADDR.ENODEV", error.ErrorId);
        Assert.Equal((0x0001_0000ul, GicDist), t.Kernel.LastDeviceAddr);
        Assert.Equal("KVM_ARM_SET_DEVICE_ADDR.ENODEV",
            Assert.Throws<KvmIoctlException>(() => ArmDeviceAddresses.SetById(t.Vm, 0x0000_0007, GicDist)).ErrorId);
        Assert.Equal("ArmDeviceIdHasNoAttribute",
            Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.SetById(t.Vm, 0x0001_0000, GicDist, ArmDeviceAddressMethod.DeviceAttribute)).ErrorId);
    }

    [Fact]
    public void Reserved_id_bits_are_refused_before_the_ioctl()
    {
        using var t = new ArmTestVm();
        t.Vm.CreateIrqchip();
        Assert.Equal("ArmDeviceIdReservedBits", Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.SetById(t.Vm, 1ul << 32, GicDist)).ErrorId);
        Assert.Equal(0, t.Kernel.SetDeviceAddrCalls);
    }

    [Fact]
    public void Legacy_needs_the_irqchip_first()
    {
        using var t = new ArmTestVm();
        var error = Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist, ArmDeviceAddressMethod.Legacy));
        Assert.Equal("ArmIrqchipRequired", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidOperation, error.Kind);
        Assert.Equal(0, t.Kernel.SetDeviceAddrCalls);
    }

    [Theory]
    [InlineData(ArmDeviceAddressMethod.Legacy)]
    [InlineData(ArmDeviceAddressMethod.DeviceAttribute)]
    public void Nothing_is_set_after_a_vcpu_ran(ArmDeviceAddressMethod method)
    {
        using var t = new ArmTestVm();
        if (method == ArmDeviceAddressMethod.Legacy)
        {
            t.Vm.CreateIrqchip();
        }
        else
        {
            ArmVgic.Create(t.Vm, ArmDevice.VgicV2);
        }
        t.RanVcpu();
        Assert.Equal("ArmDeviceAddressAfterVcpuRan",
            Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist, method)).ErrorId);
        Assert.Equal(0, t.Kernel.SetDeviceAddrCalls + t.Kernel.SetAttrCalls);
    }

    [Fact]
    public void The_same_address_type_twice_is_address_already_set()
    {
        using var t = new ArmTestVm();
        t.Vm.CreateIrqchip();
        ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist, ArmDeviceAddressMethod.Legacy);
        var error = Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, 0x0900_0000, ArmDeviceAddressMethod.Legacy));
        Assert.Equal("ArmDeviceAddressAlreadySet", error.ErrorId);
        Assert.Equal(ErrorKind.ResourceExists, error.Kind);
        Assert.Contains("already set", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, t.Kernel.SetDeviceAddrCalls);
    }

    [Fact]
    public void The_kernels_eexist_is_explained_as_address_already_set()
    {
        using var t = new ArmTestVm();
        t.Vm.CreateIrqchip();
        t.Kernel.Bases[0] = 0x0a00_0000;   // set behind the module's back
        var error = Assert.Throws<KvmIoctlException>(() => ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist, ArmDeviceAddressMethod.Legacy));
        Assert.Equal("KVM_ARM_SET_DEVICE_ADDR.EEXIST", error.ErrorId);
        Assert.Contains("Address already set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enxio_says_not_supported_on_this_system()
    {
        using var t = new ArmTestVm(configure: arm => arm.VgicPresent = false);
        t.Vm.CreateIrqchip();
        var error = Assert.Throws<KvmIoctlException>(() => ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist, ArmDeviceAddressMethod.Legacy));
        Assert.Equal("KVM_ARM_SET_DEVICE_ADDR.ENXIO", error.ErrorId);
        Assert.Equal(ErrorKind.NotImplemented, error.Kind);
        Assert.Contains("Not supported on this system", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enodev_from_a_vgic_that_is_not_v2_is_explained()
    {
        using var t = new ArmTestVm();
        ArmVgic.Create(t.Vm, ArmDevice.VgicV3);
        var error = Assert.Throws<KvmIoctlException>(() => ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist, ArmDeviceAddressMethod.Legacy));
        Assert.Equal("KVM_ARM_SET_DEVICE_ADDR.ENODEV", error.ErrorId);
        Assert.Contains("not a VGICv2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_outside_the_ipa_space_are_refused_first_and_the_kernels_e2big_is_mapped()
    {
        using var t = new ArmTestVm(machineType: 32);
        t.Vm.CreateIrqchip();
        Assert.Equal(32, ArmDeviceAddresses.IpaBits(t.Vm));
        var early = Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, 0x1_0000_0000, ArmDeviceAddressMethod.Legacy));
        Assert.Equal("ArmDeviceAddressOutsideIpa", early.ErrorId);
        Assert.Equal(0, t.Kernel.SetDeviceAddrCalls);

        t.Kernel.IpaBitsOverride = 28;
        var kernel = Assert.Throws<KvmIoctlException>(() => ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, 0x4000_0000, ArmDeviceAddressMethod.Legacy));
        Assert.Equal("KVM_ARM_SET_DEVICE_ADDR.E2BIG", kernel.ErrorId);
        Assert.Contains("outside", kernel.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_frames_are_refused_first_because_the_kernel_would_fail_the_first_run()
    {
        using var t = new ArmTestVm();
        t.Vm.CreateIrqchip();
        ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist, ArmDeviceAddressMethod.Legacy);
        var early = Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.CpuInterface, GicDist, ArmDeviceAddressMethod.Legacy));
        Assert.Equal("ArmDeviceAddressOverlap", early.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, early.Kind);
        Assert.Contains("first KVM_RUN", early.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("EBUSY", early.Message, StringComparison.Ordinal);

        // The kernel itself accepts overlapping frames (vgic_check_iorange does not compare them) ...
        using var u = new ArmTestVm();
        u.Vm.CreateIrqchip();
        u.Kernel.Bases[0] = GicCpu;   // a frame the module did not place
        ArmDeviceAddresses.Set(u.Vm, ArmDevice.VgicV2, ArmAddressType.CpuInterface, GicCpu, ArmDeviceAddressMethod.Legacy);
        // ... and the first KVM_RUN fails in kvm_vgic_map_resources (vgic_v2_check_base): EINVAL.
        KvmVcpu vcpu = u.Vm.CreateVcpu();
        u.Arm.Kvm.Vms.Single().Vcpus.Single().RunHandler = _ => 0;
        Assert.Equal("KVM_RUN.EINVAL", Assert.Throws<KvmIoctlException>(() => vcpu.Run()).ErrorId);
    }

    [Theory]
    [InlineData(ArmDevice.VgicV2, ArmAddressType.Distributor, 0x0800_0800ul)]
    [InlineData(ArmDevice.VgicV2, ArmAddressType.CpuInterface, 0x0800_0010ul)]
    [InlineData(ArmDevice.VgicV3, ArmAddressType.Distributor, 0x0800_1000ul)]
    [InlineData(ArmDevice.VgicV3, ArmAddressType.Redistributor, 0x080A_8000ul)]
    public void Misaligned_bases_are_refused_before_the_ioctl(ArmDevice device, ArmAddressType type, ulong address)
    {
        using var t = new ArmTestVm();
        var error = Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.Set(t.Vm, device, type, address));
        Assert.Equal("ArmDeviceAddressMisaligned", error.ErrorId);
        Assert.Equal(0, t.Kernel.SetDeviceAddrCalls + t.Kernel.SetAttrCalls);
        Assert.Empty(t.Kernel.Vm.Devices);
    }

    [Fact]
    public void A_range_that_wraps_is_refused()
    {
        using var t = new ArmTestVm(machineType: 64);
        t.Vm.CreateIrqchip();
        Assert.Equal("ArmDeviceAddressWraps", Assert.Throws<KvmPSException>(() =>
            ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, 0xFFFF_FFFF_FFFF_F000, ArmDeviceAddressMethod.Legacy)).ErrorId);
    }

    [Fact]
    public void The_attribute_path_creates_the_vgic_and_sets_grp_addr()
    {
        using var t = new ArmTestVm();
        ArmDeviceAddress dist = ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist, ArmDeviceAddressMethod.DeviceAttribute);
        ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.CpuInterface, GicCpu, ArmDeviceAddressMethod.DeviceAttribute);

        Assert.Equal(ArmDeviceAddressMethod.DeviceAttribute, dist.Method);
        Assert.True(t.Vm.HasIrqchip);
        var device = Assert.IsType<Doubles.VgicDeviceDouble>(Assert.Single(t.Kernel.Vm.Devices));
        Assert.Equal(ArmVgic.DeviceTypeV2, device.Type);
        Assert.Equal([(0u, 0ul, GicDist), (0u, 1ul, GicCpu)], device.Writes);
        Assert.Equal(0, t.Kernel.SetDeviceAddrCalls);
        Assert.Same(ArmVgic.Find(t.Vm, ArmDevice.VgicV2), Assert.Single(t.Vm.Dependents<KvmDevice>()));
    }

    [Fact]
    public void Vgic_v3_distributor_and_redistributor_go_through_attributes()
    {
        using var t = new ArmTestVm();
        t.Vm.CreateVcpu();
        t.Vm.CreateVcpu();
        ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV3, ArmAddressType.Distributor, 0x0800_0000);
        ArmDeviceAddress redist = ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV3, ArmAddressType.Redistributor, 0x080A_0000);

        Assert.Equal(2ul * 0x2_0000, redist.Size);
        Assert.Null(redist.Id);
        var device = Assert.IsType<Doubles.VgicDeviceDouble>(Assert.Single(t.Kernel.Vm.Devices));
        Assert.Equal(ArmVgic.DeviceTypeV3, device.Type);
        Assert.Equal([(0u, 2ul, 0x0800_0000ul), (0u, 3ul, 0x080A_0000ul)], device.Writes);
        Assert.Equal("ArmVgicV3NeedsDeviceAttribute", Assert.Throws<KvmPSException>(() =>
            ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV3, ArmAddressType.Distributor, 0x0900_0000, ArmDeviceAddressMethod.Legacy)).ErrorId);
    }

    [Fact]
    public void Auto_uses_the_legacy_ioctl_for_an_irqchip_from_create_irqchip()
    {
        using var t = new ArmTestVm();
        t.Vm.CreateIrqchip();
        Assert.Equal(ArmDeviceAddressMethod.Legacy, ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist).Method);
        Assert.Equal(1, t.Kernel.SetDeviceAddrCalls);
    }

    [Fact]
    public void Auto_prefers_the_attribute_path_when_the_host_offers_the_device()
    {
        using var t = new ArmTestVm();
        Assert.Equal(ArmDeviceAddressMethod.DeviceAttribute, ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist).Method);
        Assert.Equal(0, t.Kernel.SetDeviceAddrCalls);
        Assert.Equal(1, t.Kernel.SetAttrCalls);
    }

    [Fact]
    public void Auto_falls_back_to_legacy_where_the_device_is_not_offered()
    {
        using var t = new ArmTestVm(configure: arm => arm.OfferedDevices.Clear());
        Assert.Equal("ArmIrqchipRequired", Assert.Throws<KvmPSException>(() =>
            ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist)).ErrorId);
        t.Vm.CreateIrqchip();
        Assert.Equal(ArmDeviceAddressMethod.Legacy, ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist).Method);
    }

    [Fact]
    public void The_attribute_path_refuses_an_irqchip_it_cannot_address()
    {
        using var t = new ArmTestVm();
        t.Vm.CreateIrqchip();
        Assert.Equal("ArmVgicDeviceMismatch", Assert.Throws<KvmPSException>(() =>
            ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, GicDist, ArmDeviceAddressMethod.DeviceAttribute)).ErrorId);
        Assert.Equal("ArmVgicDeviceMismatch", Assert.Throws<KvmPSException>(() =>
            ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV3, ArmAddressType.Distributor, 0x0800_0000)).ErrorId);
    }

    [Fact]
    public void Capabilities_are_checked_before_anything_else()
    {
        using var t = new ArmTestVm(configure: arm => arm.Kvm.Capabilities.Remove(KvmCapability.ArmSetDeviceAddr));
        t.Vm.CreateIrqchip();
        var error = Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV2, ArmAddressType.Distributor, 0x10, ArmDeviceAddressMethod.Legacy));
        Assert.Equal("KVM_CAP_ARM_SET_DEVICE_ADDR.NotSupported", error.ErrorId);
        Assert.Equal(0, t.Kernel.SetDeviceAddrCalls);
    }

    [Fact]
    public void Disposing_the_session_closes_the_vgic_and_everything_else()
    {
        var t = new ArmTestVm();
        ArmDeviceAddresses.Set(t.Vm, ArmDevice.VgicV3, ArmAddressType.Distributor, 0x0800_0000);
        t.Vm.CreateVcpu();
        Assert.True(t.Arm.Kernel.OpenDescriptors > 0);
        t.Session.Dispose();
        Assert.Equal(0, t.Arm.Kernel.OpenDescriptors);
        Assert.Equal(0, t.Arm.Kernel.LiveMappings);
        t.Dispose();
    }
}

/// <summary>The device-attribute path's ENXIO (vgic_set_common_attr turns kvm_vgic_addr's ENODEV into ENXIO).</summary>
public class ArmDeviceAttributeErrnoTests
{
    [Fact]
    public void The_kernel_answers_ENXIO_not_ENODEV_for_an_address_of_another_vgic_model()
    {
        using var t = new ArmTestVm();
        KvmDevice vgic = ArmVgic.Create(t.Vm, ArmDevice.VgicV3);
        VgicRegion v2Dist = VgicRegion.Of(ArmDevice.VgicV2, ArmAddressType.Distributor);

        var e = Assert.Throws<KvmIoctlException>(() => vgic.SetAttribute(ArmVgic.AddressGroup, v2Dist.Attribute, 0x0800_0000,
            errno => ArmDeviceAddresses.Hint(errno, t.Vm, v2Dist, 0x0800_0000, ArmDeviceAddressMethod.DeviceAttribute)));

        Assert.Equal("KVM_SET_DEVICE_ATTR.ENXIO", e.ErrorId);
        Assert.Contains("VGIC model is not VgicV2", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("no VGIC", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void On_the_legacy_path_ENXIO_still_means_no_vgic()
    {
        using var t = new ArmTestVm();
        string? hint = ArmDeviceAddresses.Hint(Errno.ENXIO, t.Vm, VgicRegion.Of(ArmDevice.VgicV2, ArmAddressType.Distributor), 0, ArmDeviceAddressMethod.Legacy);
        Assert.Contains("no VGIC", hint, StringComparison.Ordinal);
    }
}
