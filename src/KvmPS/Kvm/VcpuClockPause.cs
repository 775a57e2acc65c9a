using KvmPS.Interop;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm;

/// <summary>
/// KVM_KVMCLOCK_CTRL (api.txt 4.70): sets PVCLOCK_GUEST_STOPPED in the vCPU's kvmclock page, telling the guest that
/// the host paused it, so its soft-lockup watchdog does not fire. Issue it while the vCPU is not running.
/// </summary>
public static class VcpuClockPause
{
    public static void Notify(KvmVcpu vcpu)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        vcpu.Vm.RequireCapability(KvmCapability.KvmclockCtrl, "telling a guest it was paused (KVM_KVMCLOCK_CTRL)");
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.KvmclockCtrl, 0, errno => errno == Errno.EINVAL
            ? "The guest has not set up its kvmclock (no pvclock page: the guest writes MSR_KVM_SYSTEM_TIME_NEW, 0x4b564d01, with bit 0 set), so there is nothing to tell it."
            : null));
    }
}
