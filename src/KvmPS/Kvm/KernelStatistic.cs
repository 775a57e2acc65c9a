using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm;

/// <summary>The type bits of kvm_stats_desc.flags (KVM_STATS_TYPE_*).</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum KernelStatisticKind
{
    Cumulative = 0,
    Instant = 1,
    Peak = 2,
    LinearHistogram = 3,
    LogHistogram = 4,
}

/// <summary>
/// One statistic of the kernel's binary statistics (KVM_GET_STATS_FD): its name, kind, unit and value (or histogram
/// buckets). The value is in units of Base^Exponent of Unit, e.g. nanoseconds are Seconds with Base 10, Exponent -9.
/// </summary>
public sealed record KernelStatistic(string Name, KernelStatisticKind Kind, string Unit, int Base, int Exponent, ulong[] Values)
{
    /// <summary>The value of a scalar statistic; the first bucket of a histogram.</summary>
    public ulong Value => Values.Length > 0 ? Values[0] : 0;

    public override string ToString() => $"{Name} = {(Values.Length == 1 ? Value.ToString() : $"[{string.Join(", ", Values)}]")}";
}
