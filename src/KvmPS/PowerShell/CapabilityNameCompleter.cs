using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Kvm;

namespace KvmPS.PowerShell;

/// <summary>Capability names: the readable ones (SpaprTce) and the kernel's (KVM_CAP_SPAPR_TCE).</summary>
public sealed class CapabilityNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Matching(wordToComplete, Enum.GetValues<KvmCapability>().SelectMany(c => new[]
        {
            (c.ToString(), $"{KvmNames.KernelName(c)} ({(int)c})"),
            (KvmNames.KernelName(c), $"{c} ({(int)c})"),
        }));
}
