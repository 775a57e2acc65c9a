using KvmPS.Interop;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm;

/// <summary>KVM_GET_MP_STATE / KVM_SET_MP_STATE (api.txt 4.38, 4.39): a vCPU's multiprocessing state.</summary>
public static class VcpuMpState
{
    public static KvmMpState Get(KvmVcpu vcpu)
    {
        vcpu.Vm.RequireCapability(KvmCapability.MpState, "vCPU multiprocessing state (KVM_GET_MP_STATE)");
        return vcpu.OnVcpuThread(handle =>
        {
            uint state = 0;
            handle.Ioctl(KvmVcpuIoctls.GetMpState, ref state, Hint);
            return (KvmMpState)state;
        });
    }

    public static void Set(KvmVcpu vcpu, KvmMpState state)
    {
        if (!Enum.IsDefined(state))
        {
            throw KvmPSException.InvalidArgument("InvalidMpState", $"{(uint)state} is not a KVM_MP_STATE_* value; use one of {string.Join(", ", Enum.GetNames<KvmMpState>())}.");
        }
        vcpu.Vm.RequireCapability(KvmCapability.MpState, "vCPU multiprocessing state (KVM_SET_MP_STATE)");
        vcpu.OnVcpuThread(handle =>
        {
            uint value = (uint)state;
            return handle.Ioctl(KvmVcpuIoctls.SetMpState, ref value, Hint);
        });
    }

    private static string? Hint(int errno) => errno == Errno.EINVAL
        ? "This architecture does not accept that state here; on x86 every state but Runnable needs the in-kernel irqchip (KVM_CREATE_IRQCHIP) and SipiReceived is refused."
        : null;
}
