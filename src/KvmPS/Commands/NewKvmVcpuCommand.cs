using System.Management.Automation;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.New, "KvmVcpu")]
[OutputType(typeof(KvmVcpu))]
public sealed class NewKvmVcpuCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM to add the vCPU to.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(HelpMessage = "The vCPU id (KVM_CREATE_VCPU argument); the lowest free id when omitted.")]
    public int? Id { get; set; }

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(Vm.CreateVcpu(Id)));
}
