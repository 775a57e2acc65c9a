using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.Remove, "KvmSpaprTce", HelpUri = HelpLinks.CmdletsRoot + "Remove-KvmSpaprTce.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmSpaprTceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The TCE tables to remove; the kernel frees them and their LIOBNs become free.")]
    public SpaprTceTable[] Table { get; set; } = [];

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (SpaprTceTable table in Table)
        {
            Try(table, () =>
            {
                if (ShouldChange(table.ToString(), "Remove", Force))
                {
                    table.Dispose();
                }
            });
        }
    }
}
