using KvmPS.Interop;

namespace KvmPS.Kvm.S390;

/// <summary>User-controlled s390 VMs (api.txt 4.2: KVM_VM_S390_UCONTROL).</summary>
public static class S390UserControlledVm
{
    /// <summary>KVM_VM_S390_UCONTROL, the KVM_CREATE_VM machine type of a user-controlled VM.</summary>
    public const ulong MachineType = 1;

    public static KvmVm Create(KvmSession session)
    {
        if (session.System.CheckExtension(KvmCapability.S390Ucontrol) <= 0)
        {
            throw KvmPSException.NotSupportedByHost("user-controlled VMs", "KVM_CAP_S390_UCONTROL", session.Kernel.Architecture);
        }
        return session.CreateVm(MachineType, errno => errno == Errno.EPERM
            ? "Creating a user-controlled VM needs CAP_SYS_ADMIN: run PowerShell as root." : null);
    }

    /// <summary>Whether the VM was created with KVM_VM_S390_UCONTROL (the machine type means nothing elsewhere).</summary>
    public static bool IsUserControlled(KvmVm vm) =>
        vm.Kernel.Architecture == CpuArchitecture.S390x && vm.MachineType == MachineType;
}
