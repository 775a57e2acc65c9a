using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.New, "KvmVcpu", HelpUri = HelpLinks.CmdletsRoot + "New-KvmVcpu.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class NewKvmVcpuCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM to add the vCPU to.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(HelpMessage = "The vCPU id (KVM_CREATE_VCPU argument); the lowest free id when omitted.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int? Id { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), Id is int id ? $"Create vCPU {id}" : "Create a vCPU"))
        {
            WriteObject(Vm.CreateVcpu(Id));
        }
    });
}
