using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.Get, "KvmIrqchip", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmIrqchip.md")]
[OutputType(typeof(IrqchipState))]
public sealed class GetKvmIrqchipCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose in-kernel irqchip state to read.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Position = 1, HelpMessage = "The chip to read: PicMaster, PicSlave or Ioapic; all three when omitted.")]
    public IrqchipId? Chip { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (Chip is IrqchipId chip)
        {
            WriteObject(VmIrqchip.Get(Vm, chip));
        }
        else
        {
            WriteObject(VmIrqchip.GetAll(Vm), enumerateCollection: true);
        }
    });
}
