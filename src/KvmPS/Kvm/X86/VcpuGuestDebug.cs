using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.X86;

/// <summary>
/// KVM_SET_GUEST_DEBUG on x86 (api.rst 4.59): single-stepping, software breakpoints (INT3 exits to the host instead
/// of reaching the guest) and up to four hardware execution breakpoints in DR0-DR3. Each event ends KVM_RUN with
/// KVM_EXIT_DEBUG (exception 1 for #DB, 3 for #BP). Every call replaces the whole setting.
/// </summary>
public static class VcpuGuestDebug
{
    /// <summary>DR0-DR3.</summary>
    public const int MaxHardwareBreakpoints = 4;

    /// <summary>DR7 bits 10 (reserved, reads as 1) and 9 (GE), as QEMU sets them.</summary>
    private const ulong Dr7Base = 0x600;

    public static void Set(KvmVcpu vcpu, bool singleStep, bool softwareBreakpoints, IReadOnlyList<ulong>? hardwareBreakpoints)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        hardwareBreakpoints ??= [];
        if (hardwareBreakpoints.Count > MaxHardwareBreakpoints)
        {
            throw KvmPSException.InvalidArgument("TooManyHardwareBreakpoints",
                $"x86 has {MaxHardwareBreakpoints} debug address registers (DR0-DR3); got {hardwareBreakpoints.Count} breakpoint addresses.");
        }
        var request = new KvmGuestDebugX86 { Control = KvmGuestDebugX86.Enable };
        if (singleStep)
        {
            request.Control |= KvmGuestDebugX86.SingleStep;
        }
        if (softwareBreakpoints)
        {
            request.Control |= KvmGuestDebugX86.UseSwBp;
        }
        if (hardwareBreakpoints.Count > 0)
        {
            request.Control |= KvmGuestDebugX86.UseHwBp;
            ulong dr7 = Dr7Base;
            for (int i = 0; i < hardwareBreakpoints.Count; i++)
            {
                unsafe
                {
                    request.Arch.Debugreg[i] = hardwareBreakpoints[i];
                }
                // Global enable G<i> (bit 2i+1); R/W<i> and LEN<i> 00: break on instruction execution (Intel SDM 17.2.4).
                dr7 |= 2ul << (i * 2);
            }
            unsafe
            {
                request.Arch.Debugreg[7] = dr7;
            }
        }
        Issue(vcpu, request, "debugging the guest (KVM_SET_GUEST_DEBUG)");
    }

    /// <summary>Turns guest debugging off: control 0, so #DB and #BP reach the guest again.</summary>
    public static void Disable(KvmVcpu vcpu)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        Issue(vcpu, default, "debugging the guest (KVM_SET_GUEST_DEBUG)");
    }

    private static void Issue(KvmVcpu vcpu, KvmGuestDebugX86 request, string what)
    {
        X86Only.Require(vcpu.Vm, what);
        vcpu.Vm.RequireCapability(KvmCapability.SetGuestDebug, what);
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.SetGuestDebug, ref request, errno => errno == Errno.EINVAL
            ? "KVM refused the debug setting: a control bit this host does not support (see KVM_CAP_SET_GUEST_DEBUG2), or the guest's state is protected."
            : null));
    }
}
