using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.Get, "KvmPpcPvInfo", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmPpcPvInfo.md")]
[OutputType(typeof(PpcPvInfo))]
public sealed class GetKvmPpcPvInfoCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM to ask (KVM_PPC_GET_PVINFO).")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(PpcVm.GetPvInfo(Vm)));
}
