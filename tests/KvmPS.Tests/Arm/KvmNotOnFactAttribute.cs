using KvmPS.Interop;

namespace KvmPS.Tests.Arm;

/// <summary>
/// A real-/dev/kvm test of how a host WITHOUT the given architecture's KVM refuses its ioctls; skipped, with the
/// reason shown, where /dev/kvm is unusable or the host is that architecture (where the feature really works).
/// </summary>
public sealed class KvmNotOnFactAttribute : FactAttribute
{
    public KvmNotOnFactAttribute(CpuArchitecture architecture)
    {
        if (RealKvm.Unavailable is string reason)
        {
            Skip = reason;
        }
        else if (CpuArchitectures.Host == architecture)
        {
            Skip = $"checks the refusal of hosts without {architecture.UnameName()} KVM; this host is {architecture.UnameName()}";
        }
    }
}
