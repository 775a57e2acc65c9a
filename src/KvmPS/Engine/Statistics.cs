using KvmPS.Devices;
using KvmPS.Kvm;

namespace KvmPS.Engine;

/// <summary>
/// One vCPU's run loop: how many KVM_RUNs, how long inside them, its exits by KVM_EXIT_* name, and the bytes its
/// thread allocated inside the loop (device work included; a loop that allocates per exit shows here), and the
/// kernel's own binary statistics of the vCPU (KVM_GET_STATS_FD: exits, halt polling, ...) where the host has them.
/// </summary>
public sealed record VcpuStatistics(int VmId, int VcpuId, RunState State, long RunCount, TimeSpan RunTime, IReadOnlyDictionary<string, long> Exits,
    long LoopAllocatedBytes, IReadOnlyList<KernelStatistic> Kernel)
{
    public long ExitCount => Exits.Values.Sum();
}

/// <summary>
/// A VM's engine counters: its vCPUs, its devices, the accesses no device handled, and the kernel's binary statistics
/// of the VM (KVM_GET_STATS_FD: memory slots, TLB flushes, ...) where the host has them.
/// </summary>
public sealed record VmStatistics(int VmId, RunState State, IReadOnlyList<VcpuStatistics> Vcpus, IReadOnlyList<DeviceStatistics> Devices,
    long UnhandledPortReads, long UnhandledPortWrites, long UnhandledMmioReads, long UnhandledMmioWrites, IReadOnlyList<KernelStatistic> Kernel)
{
    public long RunCount => Vcpus.Sum(v => v.RunCount);
    public TimeSpan RunTime => TimeSpan.FromTicks(Vcpus.Sum(v => v.RunTime.Ticks));
    public long ExitCount => Vcpus.Sum(v => v.ExitCount);

    /// <summary>The exits of all vCPUs by KVM_EXIT_* name.</summary>
    public IReadOnlyDictionary<string, long> Exits => Vcpus.SelectMany(v => v.Exits)
        .GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
}

internal static class ExitCounts
{
    /// <summary>The non-zero counters by KVM_EXIT_* name.</summary>
    public static IReadOnlyDictionary<string, long> Of(long[] counters)
    {
        var named = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (int reason = 0; reason < counters.Length; reason++)
        {
            long count = Volatile.Read(ref counters[reason]);
            if (count != 0)
            {
                named[reason == counters.Length - 1 ? "other" : KvmNames.ExitName((uint)reason)] = count;
            }
        }
        return named;
    }
}
