using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Kvm;

namespace KvmPS.Commands;

/// <summary>Tab completion of capability names (readable names, e.g. SpaprTce).</summary>
public sealed class CapabilityNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Enum.GetValues<KvmCapability>()
            .Where(c => c.ToString().StartsWith(wordToComplete.Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(c => new CompletionResult(c.ToString(), c.ToString(), CompletionResultType.ParameterValue, KvmNames.KernelName(c)));
}
