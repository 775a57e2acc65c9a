using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm;

/// <summary>KVM_TRANSLATE (api.txt 4.15): a guest linear address through the vCPU's page tables, as the MMU would walk them now.</summary>
public static class VcpuTranslation
{
    public static GuestAddressTranslation Translate(KvmVcpu vcpu, ulong linearAddress)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        var translation = new KvmTranslation { LinearAddress = linearAddress };
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.Translate, ref translation, errno => errno switch
        {
            Errno.EINVAL or Errno.ENOTTY => $"KVM on {vcpu.Vm.Kernel.Architecture.UnameName()} does not translate addresses (KVM_TRANSLATE is answered on x86 and booke powerpc).",
            _ => null,
        }));
        return new GuestAddressTranslation(vcpu.VmId, vcpu.Id, linearAddress, translation.PhysicalAddress,
            translation.Valid != 0, translation.Writeable != 0, translation.Usermode != 0);
    }
}
