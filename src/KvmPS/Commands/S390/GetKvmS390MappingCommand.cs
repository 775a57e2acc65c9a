using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.S390;

namespace KvmPS.Commands.S390;

[Cmdlet(VerbsCommon.Get, "KvmS390Mapping", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmS390Mapping.md")]
[OutputType(typeof(S390Mapping))]
public sealed class GetKvmS390MappingCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose KvmPS-made mappings to list.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vcpu, () => WriteObject(S390Mappings.Get(Vcpu), enumerateCollection: true));
}
