using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Arm;

namespace KvmPS.Commands.Arm;

[Cmdlet(VerbsCommon.Get, "KvmArmPreferredTarget", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmArmPreferredTarget.md")]
[OutputType(typeof(ArmVcpuTarget))]
public sealed class GetKvmArmPreferredTargetCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true,
        HelpMessage = "The ARM VM to ask (KVM_ARM_PREFERRED_TARGET is a VM ioctl).")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(ArmVcpus.GetPreferredTarget(Vm)));
}
