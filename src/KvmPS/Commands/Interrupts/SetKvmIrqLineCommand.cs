using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.Set, "KvmIrqLine", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmIrqLine.md", SupportsShouldProcess = true)]
[OutputType(typeof(IrqLineResult))]
public sealed class SetKvmIrqLineCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose in-kernel irqchip input to set.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The irqchip input: a GSI on x86 (0-15 the PIC and IOAPIC pins, 16-23 IOAPIC only).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Gsi { get; set; }

    [Parameter(Mandatory = true, Position = 2, HelpMessage = "The new level: $true raises the line, $false lowers it (an edge-triggered input fires on the rise).")]
    public bool Level { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Set irqchip input {Gsi} to {(Level ? 1 : 0)} (KVM_IRQ_LINE)"))
        {
            WriteObject(Vm.SetIrqLineReportingStatus(Gsi, Level));
        }
    });
}
