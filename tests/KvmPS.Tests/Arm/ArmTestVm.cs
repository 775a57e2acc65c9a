using KvmPS.Kvm;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Arm;

/// <summary>An aarch64 kernel double with a session and one VM, disposed together.</summary>
internal sealed class ArmTestVm : IDisposable
{
    public ArmTestVm(ulong machineType = 0, Action<ArmKvmDouble>? configure = null)
    {
        Arm = new ArmKvmDouble();
        configure?.Invoke(Arm);
        Session = new KvmSession(Arm.Kernel.Kernel);
        Vm = Session.CreateVm(machineType);
    }

    public ArmKvmDouble Arm { get; }
    public KvmSession Session { get; }
    public KvmVm Vm { get; }
    public ArmVmDouble Kernel => Arm.Vms.Single();

    /// <summary>A vCPU that has been through one KVM_RUN, as a guest that already started.</summary>
    public KvmVcpu RanVcpu()
    {
        KvmVcpu vcpu = Vm.CreateVcpu();
        Arm.Kvm.Vms.Single().Vcpus.Single(v => v.Id == vcpu.Id).RunHandler = _ => 0;
        vcpu.Run();
        return vcpu;
    }

    public void Dispose()
    {
        Session.Dispose();
        Arm.Kernel.Dispose();
    }
}
