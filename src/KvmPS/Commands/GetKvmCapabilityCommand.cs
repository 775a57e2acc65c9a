using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmCapability", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmCapability.md")]
[OutputType(typeof(KvmCapabilityInfo))]
public sealed class GetKvmCapabilityCommand : KvmCmdlet
{
    [Parameter(Position = 0, HelpMessage = "Capability names to report (readable or KVM_CAP_* form); wildcards allowed. All when omitted.")]
    [ArgumentCompleter(typeof(CapabilityNameCompleter))]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipeline = true, HelpMessage = "Ask this VM (KVM_CHECK_EXTENSION on the VM descriptor) instead of /dev/kvm.")]
    public KvmVm? Vm { get; set; }

    [Parameter(HelpMessage = "Report only the capabilities the host supports.")]
    public SwitchParameter Supported { get; set; }

    protected override void ProcessRecord() => TryOrStop(Vm, () =>
        WriteObject(KvmCapabilities.Query(Session, Vm, Name, Supported.IsPresent), enumerateCollection: true));
}
