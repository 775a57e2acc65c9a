using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.New, "KvmIrqchip", HelpUri = HelpLinks.CmdletsRoot + "New-KvmIrqchip.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class NewKvmIrqchipCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM to give an in-kernel irqchip; on x86 it must have no vCPU yet.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(HelpMessage = "Write the VM to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), "Create the in-kernel irqchip (KVM_CREATE_IRQCHIP)"))
        {
            Vm.CreateIrqchip();
        }
        if (PassThru)
        {
            WriteObject(Vm);
        }
    });
}
