using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.Clear, "KvmSpaprTce", HelpUri = HelpLinks.CmdletsRoot + "Clear-KvmSpaprTce.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(SpaprTceTable))]
public sealed class ClearKvmSpaprTceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The TCE tables to reset: every entry becomes 0 (no translation).")]
    public SpaprTceTable[] Table { get; set; } = [];

    [Parameter(HelpMessage = "Write the cleared table to the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (SpaprTceTable table in Table)
        {
            Try(table, () =>
            {
                if (ShouldChange(table.ToString(), "Clear every entry", Force))
                {
                    table.Clear();
                    if (PassThru)
                    {
                        WriteObject(table);
                    }
                }
            });
        }
    }
}
