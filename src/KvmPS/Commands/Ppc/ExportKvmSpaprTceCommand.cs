using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsData.Export, "KvmSpaprTce", HelpUri = HelpLinks.CmdletsRoot + "Export-KvmSpaprTce.md", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportKvmSpaprTceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "The TCE table whose entries to save.")]
    public SpaprTceTable Table { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The file to write; it is replaced if it exists.")]
    public string Path { get; set; } = "";

    protected override void ProcessRecord() => Try(Table, () =>
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(path, $"Export {Table}"))
        {
            Table.Export(path);
            WriteObject(new FileInfo(path));
        }
    });
}
