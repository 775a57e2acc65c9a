using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommunications.Send, "KvmIrqfd", HelpUri = HelpLinks.CmdletsRoot + "Send-KvmIrqfd.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmIrqfd))]
public sealed class SendKvmIrqfdCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The irqfd to signal (New-KvmIrqfd).")]
    public KvmIrqfd[] Irqfd { get; set; } = [];

    [Parameter(HelpMessage = "Write the irqfd to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

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
                if (ShouldProcess(irqfd.ToString(), "Signal (raise the GSI)"))
                {
                    irqfd.Signal();
                }
                if (PassThru)
                {
                    WriteObject(irqfd);
                }
            });
        }
    }
}
