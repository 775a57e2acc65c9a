using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.New, "KvmIrqfd", HelpUri = HelpLinks.CmdletsRoot + "New-KvmIrqfd.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmIrqfd))]
public sealed class NewKvmIrqfdCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose in-kernel irqchip the irqfd raises.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The GSI that signalling the irqfd raises.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Gsi { get; set; }

    [Parameter(HelpMessage = "Level-triggered with a resample eventfd: the GSI stays raised until the guest's EOI (KVM_IRQFD_FLAG_RESAMPLE).")]
    public SwitchParameter Resample { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Attach an irqfd to GSI {Gsi} (KVM_IRQFD)"))
        {
            WriteObject(KvmIrqfd.Assign(Vm, Gsi, Resample.IsPresent));
        }
    });
}
