using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Kvm;

namespace KvmPS.PowerShell;

/// <summary>Register names of the architecture of the vCPU bound to -Vcpu on the same command line.</summary>
public sealed class RegisterNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        KvmVcpu? vcpu = Completion.Bound<KvmVcpu>(fakeBoundParameters, "Vcpu")
            ?? KvmSession.Default.Vms.SelectMany(v => v.Vcpus).FirstOrDefault();
        if (vcpu is null || vcpu.IsDisposed)
        {
            return [];
        }
        return Completion.Matching(wordToComplete, vcpu.RegisterNames.Select(n => (n, $"register {n} of {vcpu}")));
    }
}
