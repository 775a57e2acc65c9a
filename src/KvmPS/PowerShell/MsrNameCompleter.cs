using System.Collections;
using KvmPS.Kvm.X86;

namespace KvmPS.PowerShell;

/// <summary>The MSR names KvmPS knows (IA32_EFER, LSTAR, ...), with their index as the tooltip.</summary>
internal sealed class MsrNameCompleter : CandidateCompleter
{
    protected override IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters) =>
        MsrNames.All.Select(n => (n, $"0x{MsrNames.IndexOf(n):X}"));
}
