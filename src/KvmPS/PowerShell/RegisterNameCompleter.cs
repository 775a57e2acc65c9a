using System.Collections;
using KvmPS.Kvm;

namespace KvmPS.PowerShell;

/// <summary>Register names of the architecture of the vCPU bound to -Vcpu on the same command line.</summary>
internal sealed class RegisterNameCompleter : CandidateCompleter
{
    protected override IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters)
    {
        KvmVcpu? vcpu = Completion.Bound<KvmVcpu>(fakeBoundParameters, "Vcpu")
            ?? KvmSession.Default.Vms.SelectMany(v => v.Vcpus).FirstOrDefault();
        return vcpu is null || vcpu.IsDisposed ? [] : vcpu.RegisterNames.Select(n => (n, $"register {n} of {vcpu}"));
    }
}
