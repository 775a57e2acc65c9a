using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm;

[JsonConverter(typeof(StringEnumConverter))]
public enum HostCheckStatus
{
    Passed,
    Failed,
    Skipped,
}

/// <summary>One check of Test-KvmHost: what was checked, how it went, why, and how long it took.</summary>
public sealed record HostCheckResult(string Check, HostCheckStatus Status, string Detail, TimeSpan Duration)
{
    public bool Passed => Status == HostCheckStatus.Passed;
}
