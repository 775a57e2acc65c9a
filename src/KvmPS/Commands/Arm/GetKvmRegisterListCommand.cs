using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Arm;

namespace KvmPS.Commands.Arm;

[Cmdlet(VerbsCommon.Get, "KvmRegisterList", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmRegisterList.md")]
[OutputType(typeof(KvmRegisterId))]
public sealed class GetKvmRegisterListCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose ONE_REG register ids to list (KVM_GET_REG_LIST).")]
    public KvmVcpu Vcpu { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vcpu, () => WriteObject(RegisterList.Get(Vcpu), enumerateCollection: true));
}
