using System.Collections;
using KvmPS.Kvm;

namespace KvmPS.PowerShell;

/// <summary>Exit reasons: the readable names (Hlt) and the kernel's (KVM_EXIT_HLT).</summary>
public sealed class ExitReasonCompleter : CandidateCompleter
{
    protected override IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters) =>
        Enum.GetValues<KvmExitReason>().SelectMany(r => new[]
        {
            (r.ToString(), $"{KvmNames.KernelName(r)} ({(int)r})"),
            (KvmNames.KernelName(r), $"{r} ({(int)r})"),
        });
}
