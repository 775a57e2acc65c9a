using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsDiagnostic.Test, "KvmCapability", HelpUri = HelpLinks.CmdletsRoot + "Test-KvmCapability.md")]
[OutputType(typeof(bool))]
public sealed class TestKvmCapabilityCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The capability to test, e.g. SpaprTce or KVM_CAP_SPAPR_TCE.")]
    [ArgumentCompleter(typeof(CapabilityNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(ValueFromPipeline = true, HelpMessage = "Ask this VM instead of /dev/kvm.")]
    public KvmVm? Vm { get; set; }

    protected override void ProcessRecord() => TryOrStop(Name, () => WriteObject(KvmCapabilities.IsSupported(Session, Vm, Name)));
}
