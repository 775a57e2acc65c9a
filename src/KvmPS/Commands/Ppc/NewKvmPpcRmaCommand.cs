using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.New, "KvmPpcRma")]
[OutputType(typeof(PpcRealModeArea))]
public sealed class NewKvmPpcRmaCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM that gets the Real Mode Area (KVM_ALLOCATE_RMA).")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(PpcRealModeArea.Allocate(Vm)));
}
