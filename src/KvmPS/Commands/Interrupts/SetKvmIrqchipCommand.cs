using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.Set, "KvmIrqchip", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmIrqchip.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class SetKvmIrqchipCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The VM whose in-kernel irqchip state to write.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, HelpMessage = "Chip states as Get-KvmIrqchip returned them (changed through their Pic or Ioapic properties, or Raw).")]
    public IrqchipState[] State { get; set; } = null!;

    [Parameter(HelpMessage = "Write the VM to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        foreach (IrqchipState? state in State)
        {
            if (state is null)
            {
                throw InputErrors.Null("A chip state", "what Get-KvmIrqchip returned");
            }
            if (ShouldProcess(Vm.ToString(), $"Set the {state.Chip} state (KVM_SET_IRQCHIP)"))
            {
                VmIrqchip.Set(Vm, state);
            }
        }
        if (PassThru)
        {
            WriteObject(Vm);
        }
    });
}
