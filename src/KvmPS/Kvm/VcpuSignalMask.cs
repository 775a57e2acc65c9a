using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm;

/// <summary>
/// KVM_SET_SIGNAL_MASK (api.txt 4.21): the signals blocked on the vCPU's thread while it runs the guest, instead of
/// the thread's own mask. Signal n is bit n-1 of the kernel's 64-bit sigset_t (len must be 8 on the 64-bit
/// architectures). The kick signal the module uses to interrupt KVM_RUN may never be blocked, or a run could not be
/// stopped.
/// </summary>
public static class VcpuSignalMask
{
    /// <summary>The signals of the kernel's sigset_t on the 64-bit architectures (_NSIG).</summary>
    public const int MaxSignal = 64;

    /// <summary>sizeof(sigset_t) in the kernel of a 64-bit architecture (_NSIG / 8).</summary>
    private const int SigsetBytes = 8;

    public static void Set(KvmVcpu vcpu, IEnumerable<int> signals)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        ArgumentNullException.ThrowIfNull(signals);
        ulong mask = 0;
        foreach (int signal in signals)
        {
            if (signal is < 1 or > MaxSignal)
            {
                throw KvmPSException.InvalidArgument("InvalidSignalNumber", $"Signal {signal} is not a Linux signal number (1-{MaxSignal}).");
            }
            if (signal == LinuxConstants.SIGWINCH)
            {
                throw KvmPSException.InvalidArgument("KickSignalBlocked",
                    $"Signal {signal} (SIGWINCH) is the signal that kicks a vCPU out of KVM_RUN (timeouts, Ctrl+C, stopping and removing the VM); " +
                    "a mask that blocks it would make the guest's runs impossible to interrupt, so it is refused.");
            }
            mask |= 1ul << (signal - 1);
        }
        CStructLayout layout = KvmStructs.SignalMask.LayoutOn(vcpu.Vm.Kernel.Architecture);
        int sigset = layout.OffsetOf("sigset");
        byte[] buffer = GC.AllocateArray<byte>(sigset + SigsetBytes, pinned: true);
        BitConverter.TryWriteBytes(buffer.AsSpan(layout.OffsetOf("len"), sizeof(uint)), (uint)SigsetBytes);
        // sigset_t is an array of unsigned long, in the byte order of the machine the module runs on.
        BitConverter.TryWriteBytes(buffer.AsSpan(sigset, SigsetBytes), mask);
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.SetSignalMask, buffer.AsSpan(), Hint));
    }

    /// <summary>A NULL argument: the vCPU's thread runs the guest with its own signal mask again.</summary>
    public static void Clear(KvmVcpu vcpu)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.SetSignalMask, 0, Hint));
    }

    private static string? Hint(int errno) => errno == Errno.EINVAL ? "The kernel's sigset_t is not 8 bytes on this host." : null;
}
