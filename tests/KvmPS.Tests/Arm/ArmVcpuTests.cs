using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm;
using KvmPS.Kvm.Arm;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Arm;

public class ArmVcpuTests
{
    [Fact]
    public void The_preferred_target_is_decoded()
    {
        using var t = new ArmTestVm();
        ArmVcpuTarget target = ArmVcpus.GetPreferredTarget(t.Vm);
        Assert.Equal(ArmKvmDouble.GenericV8Target, target.Target);
        Assert.Equal("KVM_ARM_TARGET_GENERIC_V8", target.TargetName);
        Assert.Equal([ArmVcpuFeature.Psci02], target.Features);
        Assert.Empty(target.UnknownFeatureBits);
        Assert.Null(target.VcpuId);
    }

    [Fact]
    public void No_preferred_target_is_enodev_explained()
    {
        using var t = new ArmTestVm(configure: arm => arm.PreferredTargetError = Errno.ENODEV);
        var error = Assert.Throws<KvmIoctlException>(() => ArmVcpus.GetPreferredTarget(t.Vm));
        Assert.Equal("KVM_ARM_PREFERRED_TARGET.ENODEV", error.ErrorId);
        Assert.Contains("no preferred target", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_defaults_to_the_preferred_target_and_sets_the_named_bits_on_the_vcpu_thread()
    {
        using var t = new ArmTestVm();
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        ArmVcpuTarget result = ArmVcpus.Initialize(vcpu, [ArmVcpuFeature.Psci02, ArmVcpuFeature.PowerOff]);

        ArmVcpuDouble kernel = t.Arm.Vcpus.Single();
        Assert.Equal(ArmKvmDouble.GenericV8Target, kernel.InitTarget);
        Assert.Equal(0b101u, kernel.InitFeatures[0]);
        Assert.Equal([ArmVcpuFeature.PowerOff, ArmVcpuFeature.Psci02], result.Features);
        Assert.Equal(vcpu.Id, result.VcpuId);
        Assert.Same(result, ArmVcpus.InitializedAs(vcpu));

        uint init = ArmIoctls.VcpuInit.RequestOn(CpuArchitecture.Aarch64);
        Assert.All(t.Arm.Kernel.IoctlLog.Where(c => c.Request == init), c => Assert.Equal(vcpu.ThreadId, c.ThreadId));
    }

    [Fact]
    public void A_feature_the_host_lacks_is_not_supported_before_the_ioctl()
    {
        using var t = new ArmTestVm();
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        var error = Assert.Throws<KvmPSException>(() => ArmVcpus.Initialize(vcpu, [ArmVcpuFeature.Sve]));
        Assert.Equal("KVM_CAP_ARM_SVE.NotSupported", error.ErrorId);
        Assert.Null(t.Arm.Vcpus.Single().InitTarget);
    }

    [Fact]
    public void Pointer_authentication_bits_go_together()
    {
        using var t = new ArmTestVm(configure: arm =>
        {
            arm.Kvm.Capabilities[KvmCapability.ArmPtrauthAddress] = 1;
            arm.Kvm.Capabilities[KvmCapability.ArmPtrauthGeneric] = 1;
        });
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        Assert.Equal("ArmPtrauthFeaturesTogether", Assert.Throws<KvmPSException>(() => ArmVcpus.Initialize(vcpu, [ArmVcpuFeature.PtrauthAddress])).ErrorId);
        ArmVcpus.Initialize(vcpu, [ArmVcpuFeature.PtrauthAddress, ArmVcpuFeature.PtrauthGeneric]);
        Assert.Equal(0b110_0000u, t.Arm.Vcpus.Single().InitFeatures[0]);
    }

    [Fact]
    public void The_kernels_einval_and_enoent_are_explained()
    {
        using var t = new ArmTestVm();
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        var wrongTarget = Assert.Throws<KvmIoctlException>(() => ArmVcpus.Initialize(vcpu, target: 2));
        Assert.Equal("KVM_ARM_VCPU_INIT.EINVAL", wrongTarget.ErrorId);
        Assert.Contains("KVM_ARM_TARGET_CORTEX_A57", wrongTarget.Message, StringComparison.Ordinal);
        var unknownBit = Assert.Throws<KvmPSException>(() => ArmVcpus.Initialize(vcpu, [(ArmVcpuFeature)40]));
        Assert.Equal("ArmVcpuFeatureUnknown", unknownBit.ErrorId);
        Assert.Null(ArmVcpus.InitializedAs(vcpu));
    }

    [Fact]
    public void The_register_list_needs_an_initialised_vcpu()
    {
        using var t = new ArmTestVm();
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        var error = Assert.Throws<KvmIoctlException>(() => RegisterList.Get(vcpu));
        Assert.Equal("KVM_GET_REG_LIST.ENOEXEC", error.ErrorId);
        Assert.Contains("KVM_ARM_VCPU_INIT", error.Message, StringComparison.Ordinal);
        Assert.Contains("Initialize-KvmArmVcpu", KvmPS.Commands.CmdletAdvice.For(error.ErrorId), StringComparison.Ordinal);
    }

    [Fact]
    public void The_register_list_learns_the_count_then_reads_the_ids()
    {
        using var t = new ArmTestVm();
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        ArmVcpus.Initialize(vcpu);

        IReadOnlyList<KvmRegisterId> registers = RegisterList.Get(vcpu);

        Assert.Equal([0ul, 5ul], t.Arm.Vcpus.Single().RegListCountsSeen);
        Assert.Equal(["x0", "pc", "v0", "S3_3_C14_C3_2", "PSCI_VERSION"], registers.Select(r => r.Name));
        Assert.All(registers, r => Assert.Equal("ARM64", r.Architecture));
        Assert.All(registers, r => Assert.Equal((vcpu.VmId, vcpu.Id), (r.VmId, r.VcpuId)));
        uint regList = ArmIoctls.GetRegList.RequestOn(CpuArchitecture.Aarch64);
        Assert.All(t.Arm.Kernel.IoctlLog.Where(c => c.Request == regList), c => Assert.Equal(vcpu.ThreadId, c.ThreadId));
    }

    [Fact]
    public void The_register_list_asks_again_when_the_count_grew()
    {
        using var t = new ArmTestVm();
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        ArmVcpus.Initialize(vcpu);
        t.Arm.Vcpus.Single().GrowAfterFirstCall = 2;
        Assert.Equal(7, RegisterList.Get(vcpu).Count);
        Assert.Equal([0ul, 5ul, 7ul], t.Arm.Vcpus.Single().RegListCountsSeen);
    }

    [Fact]
    public void The_register_list_needs_one_reg()
    {
        using var t = new ArmTestVm(configure: arm => arm.Kvm.Capabilities.Remove(KvmCapability.OneReg));
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        Assert.Equal("KVM_CAP_ONE_REG.NotSupported", Assert.Throws<KvmPSException>(() => RegisterList.Get(vcpu)).ErrorId);
    }

    [Fact]
    public void Vcpu_init_does_not_exist_on_other_architectures()
    {
        var (kernel, _) = KvmDouble.Create(CpuArchitecture.S390x);
        using var session = new KvmSession(kernel.Kernel);
        KvmVm vm = session.CreateVm();
        KvmVcpu vcpu = vm.CreateVcpu();
        Assert.Equal("KVM_ARM_PREFERRED_TARGET.NotDefinedOnArchitecture", Assert.Throws<IoctlUnavailableException>(() => ArmVcpus.GetPreferredTarget(vm)).ErrorId);
        Assert.Equal("KVM_ARM_VCPU_INIT.NotDefinedOnArchitecture", Assert.Throws<IoctlUnavailableException>(() => ArmVcpus.Initialize(vcpu)).ErrorId);
    }

    [Fact]
    public void Removing_the_vm_leaves_no_descriptor_or_mapping()
    {
        var t = new ArmTestVm();
        KvmVcpu vcpu = t.Vm.CreateVcpu();
        ArmVcpus.Initialize(vcpu);
        RegisterList.Get(vcpu);
        t.Session.RemoveVm(t.Vm);
        Assert.Equal(1, t.Arm.Kernel.OpenDescriptors);   // /dev/kvm, held by the session
        Assert.Equal(0, t.Arm.Kernel.LiveMappings);
        t.Dispose();
        Assert.Equal(0, t.Arm.Kernel.OpenDescriptors);
    }
}
