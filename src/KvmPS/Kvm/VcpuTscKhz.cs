using KvmPS.Interop;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm;

/// <summary>KVM_GET_TSC_KHZ / KVM_SET_TSC_KHZ (api.txt 4.55, 4.56): the guest TSC frequency of one vCPU, in kHz.</summary>
public static class VcpuTscKhz
{
    public static uint Get(KvmVcpu vcpu)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        vcpu.Vm.RequireCapability(KvmCapability.GetTscKhz, "reading the guest TSC frequency (KVM_GET_TSC_KHZ)");
        return (uint)vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.GetTscKhz));
    }

    /// <summary>The argument is the frequency itself, not a pointer; the kernel refuses rates its TSC scaling cannot reach (EINVAL).</summary>
    public static void Set(KvmVcpu vcpu, uint khz)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        if (khz == 0)
        {
            throw new KvmPSException("InvalidTscFrequency", ErrorKind.InvalidArgument, "A TSC frequency of 0 kHz is not a frequency; give it in kHz, e.g. 2000000 for 2 GHz.");
        }
        vcpu.Vm.RequireCapability(KvmCapability.TscControl, "setting the guest TSC frequency (KVM_SET_TSC_KHZ)");
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.SetTscKhz, (nint)khz, errno => errno == Errno.EINVAL
            ? "The host cannot scale the TSC to that rate; choose one closer to the host's."
            : null));
    }
}
