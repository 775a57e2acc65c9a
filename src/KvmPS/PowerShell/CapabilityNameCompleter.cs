using System.Collections;
using KvmPS.Kvm;

namespace KvmPS.PowerShell;

/// <summary>Capability names: the readable ones (SpaprTce) and the kernel's (KVM_CAP_SPAPR_TCE).</summary>
public sealed class CapabilityNameCompleter : CandidateCompleter
{
    protected override IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters) =>
        Enum.GetValues<KvmCapability>().SelectMany(c => new[]
        {
            (c.ToString(), $"{KvmNames.KernelName(c)} ({(int)c})"),
            (KvmNames.KernelName(c), $"{c} ({(int)c})"),
        });
}
