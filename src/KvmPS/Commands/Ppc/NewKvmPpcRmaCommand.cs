using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.New, "KvmPpcRma", HelpUri = HelpLinks.CmdletsRoot + "New-KvmPpcRma.md", SupportsShouldProcess = true)]
[OutputType(typeof(PpcRealModeArea))]
public sealed class NewKvmPpcRmaCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM that gets the Real Mode Area (KVM_ALLOCATE_RMA).")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), "Allocate a Real Mode Area"))
        {
            WriteObject(PpcRealModeArea.Allocate(Vm));
        }
    });
}
