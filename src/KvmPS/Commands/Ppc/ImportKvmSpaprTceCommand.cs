using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsData.Import, "KvmSpaprTce", HelpUri = HelpLinks.CmdletsRoot + "Import-KvmSpaprTce.md", SupportsShouldProcess = true)]
[OutputType(typeof(SpaprTceTable))]
public sealed class ImportKvmSpaprTceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "The TCE table to restore; it must have the LIOBN, page shift, offset and size the file was exported from.")]
    public SpaprTceTable Table { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "A file written by Export-KvmSpaprTce.")]
    public string Path { get; set; } = "";

    [Parameter(HelpMessage = "Write the restored table to the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Table, () =>
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(Table.ToString(), $"Replace every entry from {path}"))
        {
            Table.Import(path);
            if (PassThru)
            {
                WriteObject(Table);
            }
        }
    });
}
