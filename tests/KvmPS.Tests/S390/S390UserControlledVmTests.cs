using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Kvm.S390;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.S390;

public class S390UserControlledVmTests
{
    [Fact]
    public void Creates_the_vm_with_the_ucontrol_machine_type()
    {
        using var t = new S390TestVm();
        Assert.Equal(S390UserControlledVm.MachineType, t.Vm.MachineType);
        Assert.Equal(1ul, t.S390.Kvm.Vms.Single().MachineType);
        Assert.True(S390UserControlledVm.IsUserControlled(t.Vm));
    }

    [Fact]
    public void Without_the_capability_it_is_not_supported()
    {
        var s390 = new S390KvmDouble();
        s390.Kvm.Capabilities.Remove(KvmCapability.S390Ucontrol);
        using var session = new KvmSession(s390.Kernel.Kernel);
        var error = Assert.Throws<KvmPSException>(() => S390UserControlledVm.Create(session));
        Assert.Equal("KVM_CAP_S390_UCONTROL.NotSupported", error.ErrorId);
        Assert.Empty(s390.Kvm.Vms);
    }

    [Fact]
    public void Eperm_says_cap_sys_admin_is_needed()
    {
        var s390 = new S390KvmDouble();
        s390.Kvm.CreateVmError = Errno.EPERM;
        using var session = new KvmSession(s390.Kernel.Kernel);
        var error = Assert.Throws<KvmIoctlException>(() => S390UserControlledVm.Create(session));
        Assert.Equal("KVM_CREATE_VM.EPERM", error.ErrorId);
        Assert.Equal(ErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("CAP_SYS_ADMIN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regular_vm_is_not_user_controlled()
    {
        using var t = new S390TestVm(userControlled: false);
        Assert.False(S390UserControlledVm.IsUserControlled(t.Vm));
    }
}
