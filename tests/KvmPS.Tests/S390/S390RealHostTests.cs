using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.S390;
using KvmPS.Tests.Arm;

namespace KvmPS.Tests.S390;

/// <summary>The real /dev/kvm of a host without s390 KVM (x86_64 here): each operation says plainly that it is not supported.</summary>
public class S390RealHostTests
{
    [KvmNotOnFact(CpuArchitecture.S390x)]
    public void User_controlled_vms_are_not_supported_on_this_host()
    {
        using var session = new KvmSession(KernelInterface.Host);
        var error = Assert.Throws<KvmPSException>(() => S390UserControlledVm.Create(session));
        Assert.Equal("KVM_CAP_S390_UCONTROL.NotSupported", error.ErrorId);
        Assert.Equal(ErrorKind.NotImplemented, error.Kind);
        Assert.Contains("does not support user-controlled VMs", error.Message, StringComparison.Ordinal);
        Assert.Empty(session.Vms);
    }

    [KvmNotOnFact(CpuArchitecture.S390x)]
    public void The_kernel_itself_refuses_the_ucontrol_machine_type()
    {
        using var session = new KvmSession(KernelInterface.Host);
        var error = Assert.Throws<KvmIoctlException>(() => session.CreateVm(S390UserControlledVm.MachineType));
        Assert.Equal("KVM_CREATE_VM.EINVAL", error.ErrorId);
    }

    [KvmNotOnFact(CpuArchitecture.S390x)]
    public void Mappings_and_faults_are_not_supported_on_this_host()
    {
        using var session = new KvmSession(KernelInterface.Host);
        KvmVm vm = session.CreateVm();
        KvmVcpu vcpu = vm.CreateVcpu();
        Assert.Equal("KVM_CAP_S390_UCONTROL.NotSupported", Assert.Throws<KvmPSException>(() => S390Mappings.Add(vcpu, 0, 1 << 20)).ErrorId);
        Assert.Equal("KVM_CAP_S390_UCONTROL.NotSupported", Assert.Throws<KvmPSException>(() => S390Mappings.Remove(vcpu, 0, 1 << 20)).ErrorId);
        Assert.Equal("KVM_CAP_S390_GMAP.NotSupported", Assert.Throws<KvmPSException>(() => S390Mappings.Fault(vcpu, 0)).ErrorId);
    }
}
