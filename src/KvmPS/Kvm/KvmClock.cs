namespace KvmPS.Kvm;

/// <summary>
/// A VM's kvmclock as KVM_GET_CLOCK returned it (api.txt 4.29): Clock in nanoseconds; Realtime (CLOCK_REALTIME, ns)
/// and HostTsc only where Flags says so (KVM_CLOCK_REALTIME, KVM_CLOCK_HOST_TSC).
/// </summary>
public sealed record KvmClock(int VmId, ulong Clock, KvmClockFlags Flags, ulong? Realtime, ulong? HostTsc);

[Flags]
public enum KvmClockFlags : uint
{
    None = 0,
    /// <summary>KVM_CLOCK_TSC_STABLE: the clock is the same on every vCPU.</summary>
    TscStable = 2,
    /// <summary>KVM_CLOCK_REALTIME: Realtime is valid.</summary>
    Realtime = 1 << 2,
    /// <summary>KVM_CLOCK_HOST_TSC: HostTsc is valid.</summary>
    HostTsc = 1 << 3,
}
