using KvmPS.Kvm;
using KvmPS.Kvm.S390;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.S390;

/// <summary>An s390x kernel double with a session and a user-controlled VM (or a regular one), disposed together.</summary>
internal sealed class S390TestVm : IDisposable
{
    public S390TestVm(bool userControlled = true, Action<S390KvmDouble>? configure = null)
    {
        S390 = new S390KvmDouble();
        configure?.Invoke(S390);
        Session = new KvmSession(S390.Kernel.Kernel);
        Vm = userControlled ? S390UserControlledVm.Create(Session) : Session.CreateVm();
    }

    public S390KvmDouble S390 { get; }
    public KvmSession Session { get; }
    public KvmVm Vm { get; }

    public (KvmVcpu Vcpu, S390VcpuDouble Kernel) NewVcpu()
    {
        KvmVcpu vcpu = Vm.CreateVcpu();
        return (vcpu, S390.Vcpus.Last());
    }

    public void Dispose()
    {
        Session.Dispose();
        S390.Kernel.Dispose();
    }
}
