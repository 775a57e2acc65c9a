using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.Get, "KvmSpaprTceEntry", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmSpaprTceEntry.md", DefaultParameterSetName = "NonZero")]
[OutputType(typeof(TceEntry))]
public sealed class GetKvmSpaprTceEntryCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "The TCE table to read.")]
    public SpaprTceTable Table { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Index", HelpMessage = "Entry indexes, 0 to EntryCount - 1.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong[] Index { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "IoBusAddress", HelpMessage = "I/O bus addresses inside the table's window; each selects the entry translating it.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong[] IoBusAddress { get; set; } = [];

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case "Index":
                foreach (ulong index in Index)
                {
                    Try(index, () => WriteObject(Table.GetEntry(index)));
                }
                break;
            case "IoBusAddress":
                foreach (ulong address in IoBusAddress)
                {
                    Try(address, () => WriteObject(Table.GetEntryAt(address)));
                }
                break;
            default:
                Try(Table, () => WriteObject(Table.GetNonZeroEntries(), enumerateCollection: true));
                break;
        }
    }
}
