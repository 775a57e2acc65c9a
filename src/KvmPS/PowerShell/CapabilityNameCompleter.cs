using System.Collections;
using KvmPS.Kvm;

namespace KvmPS.PowerShell;

/// <summary>Names of a generated kernel enum: the readable ones (SpaprTce) and the kernel's (KVM_CAP_SPAPR_TCE).</summary>
internal abstract class KernelNameCompleter<T> : CandidateCompleter where T : struct, Enum
{
    protected override IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters) =>
        Enum.GetValues<T>().SelectMany(value => new[]
        {
            (value.ToString(), $"{KvmNames.KernelName(value)} ({Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture)})"),
            (KvmNames.KernelName(value), $"{value} ({Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture)})"),
        });
}

/// <summary>Capability names (Test-KvmCapability, Get-KvmCapability).</summary>
internal sealed class CapabilityNameCompleter : KernelNameCompleter<KvmCapability>;

/// <summary>Exit reasons (Invoke-KvmVcpu -Until).</summary>
internal sealed class ExitReasonCompleter : KernelNameCompleter<KvmExitReason>;
