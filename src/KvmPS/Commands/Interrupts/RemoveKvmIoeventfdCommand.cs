using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.Remove, "KvmIoeventfd", HelpUri = HelpLinks.CmdletsRoot + "Remove-KvmIoeventfd.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmIoeventfdCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The ioeventfd to detach from its address; its eventfd is closed.")]
    public KvmIoeventfd[] Ioeventfd { get; set; } = [];

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (KvmIoeventfd? ioeventfd in Ioeventfd)
        {
            Try(ioeventfd, () =>
            {
                if (ioeventfd is null)
                {
                    throw InputErrors.Null("An ioeventfd", "what New-KvmIoeventfd returned");
                }
                if (ShouldChange(ioeventfd.ToString(), "Remove (KVM_IOEVENTFD_FLAG_DEASSIGN)", Force))
                {
                    ioeventfd.Remove();
                }
            });
        }
    }
}
