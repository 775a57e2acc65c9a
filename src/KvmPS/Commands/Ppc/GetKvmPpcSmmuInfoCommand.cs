using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.Get, "KvmPpcSmmuInfo", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmPpcSmmuInfo.md")]
[OutputType(typeof(PpcSmmuInfo))]
public sealed class GetKvmPpcSmmuInfoCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM to ask (KVM_PPC_GET_SMMU_INFO).")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(PpcVm.GetSmmuInfo(Vm)));
}
