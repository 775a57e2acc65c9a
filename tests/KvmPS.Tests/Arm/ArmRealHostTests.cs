using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.Arm;

namespace KvmPS.Tests.Arm;

/// <summary>The real /dev/kvm of a host without ARM KVM (x86_64 here): each operation says plainly that it is not supported.</summary>
public class ArmRealHostTests
{
    private static bool IsArmHost => CpuArchitectures.Host == CpuArchitecture.Aarch64;

    [KvmNotOnFact(CpuArchitecture.Aarch64)]
    public void Legacy_device_addresses_are_not_supported_on_this_host()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        foreach (ArmDeviceAddressMethod method in new[] { ArmDeviceAddressMethod.Legacy, ArmDeviceAddressMethod.Auto })
        {
            var error = Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.Set(vm, ArmDevice.VgicV2, ArmAddressType.Distributor, 0x0800_0000, method));
            Assert.Equal("KVM_CAP_ARM_SET_DEVICE_ADDR.NotSupported", error.ErrorId);
            Assert.Equal(ErrorKind.NotImplemented, error.Kind);
            Assert.Contains("does not support", error.Message, StringComparison.Ordinal);
        }
    }

    [KvmNotOnFact(CpuArchitecture.Aarch64)]
    public void The_vgic_device_is_not_supported_on_this_host()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        Assert.False(ArmVgic.HostOffers(vm, ArmDevice.VgicV3));
        var error = Assert.Throws<KvmPSException>(() => ArmDeviceAddresses.Set(vm, ArmDevice.VgicV3, ArmAddressType.Distributor, 0x0800_0000));
        Assert.Equal("KVM_DEV_TYPE_ARM_VGIC_V3.NotSupported", error.ErrorId);
        Assert.Contains("does not support", error.Message, StringComparison.Ordinal);
        Assert.False(vm.HasIrqchip);
    }

    [KvmNotOnFact(CpuArchitecture.Aarch64)]
    public void Vcpu_init_does_not_exist_here()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        KvmVcpu vcpu = vm.CreateVcpu();
        Assert.Equal("KVM_ARM_PREFERRED_TARGET.NotDefinedOnArchitecture", Assert.Throws<IoctlUnavailableException>(() => ArmVcpus.GetPreferredTarget(vm)).ErrorId);
        Assert.Equal("KVM_ARM_VCPU_INIT.NotDefinedOnArchitecture", Assert.Throws<IoctlUnavailableException>(() => ArmVcpus.Initialize(vcpu)).ErrorId);
    }

    [KvmFact]
    public void The_register_list_works_or_says_why_not()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        KvmVcpu vcpu = vm.CreateVcpu();
        if (IsArmHost)
        {
            ArmVcpus.Initialize(vcpu);
        }
        if (vm.CheckExtension(KvmCapability.OneReg) <= 0)
        {
            Assert.Equal("KVM_CAP_ONE_REG.NotSupported", Assert.Throws<KvmPSException>(() => RegisterList.Get(vcpu)).ErrorId);
            return;
        }
        // Kernels since 6.18 list x86 ONE_REG ids (possibly none); older ones reject the ioctl with a hint.
        try
        {
            IReadOnlyList<KvmRegisterId> registers = RegisterList.Get(vcpu);
            string expected = IsArmHost ? "ARM64" : CpuArchitectures.RequireHost() == CpuArchitecture.X86_64 ? "X86" : "";
            Assert.All(registers, r => Assert.True(expected.Length == 0 || r.Architecture == expected, r.ToString()));
        }
        catch (KvmIoctlException e)
        {
            Assert.StartsWith("KVM_GET_REG_LIST.", e.ErrorId, StringComparison.Ordinal);
            Assert.NotEmpty(e.Hint);
        }
    }
}
