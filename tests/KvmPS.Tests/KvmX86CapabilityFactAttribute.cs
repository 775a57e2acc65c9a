using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Kvm;

namespace KvmPS.Tests;

/// <summary>
/// A test that needs the real /dev/kvm on x86_64 and a capability of it; skipped with the capability's kernel name
/// where KVM_CHECK_EXTENSION on /dev/kvm returns 0.
/// </summary>
public sealed class KvmX86CapabilityFactAttribute : FactAttribute
{
    public KvmX86CapabilityFactAttribute(KvmCapability capability)
    {
        if (RealKvm.Unavailable is string reason)
        {
            Skip = reason;
        }
        else if (!RealKvm.IsX86)
        {
            Skip = "needs x86 KVM; this host is not x86_64";
        }
        else if (!HostHas(capability))
        {
            Skip = $"this host's KVM lacks {KvmNames.KernelName(capability)}";
        }
    }

    private static bool HostHas(KvmCapability capability)
    {
        int fd = LibcSyscalls.Instance.Open("/dev/kvm", LinuxConstants.O_RDWR);
        try
        {
            uint request = KvmSystemIoctls.CheckExtension.RequestOn(CpuArchitecture.X86_64);
            return LibcSyscalls.Instance.Ioctl(fd, request, (int)capability) > 0;
        }
        finally
        {
            LibcSyscalls.Instance.Close(fd);
        }
    }
}
