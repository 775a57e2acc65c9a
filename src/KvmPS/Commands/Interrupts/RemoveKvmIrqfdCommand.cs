using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.Remove, "KvmIrqfd", HelpUri = HelpLinks.CmdletsRoot + "Remove-KvmIrqfd.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmIrqfdCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The irqfd to detach from its GSI; its eventfds are closed.")]
    public KvmIrqfd[] Irqfd { get; set; } = [];

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (KvmIrqfd? irqfd in Irqfd)
        {
            Try(irqfd, () =>
            {
                if (irqfd is null)
                {
                    throw InputErrors.Null("An irqfd", "what New-KvmIrqfd returned");
                }
                if (ShouldChange(irqfd.ToString(), "Remove (KVM_IRQFD_FLAG_DEASSIGN)", Force))
                {
                    irqfd.Remove();
                }
            });
        }
    }
}
