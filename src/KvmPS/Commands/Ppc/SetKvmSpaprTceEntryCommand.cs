using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.Set, "KvmSpaprTceEntry", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmSpaprTceEntry.md", DefaultParameterSetName = "RealAddress", SupportsShouldProcess = true)]
[OutputType(typeof(TceEntry))]
public sealed class SetKvmSpaprTceEntryCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "The TCE table to write.")]
    public SpaprTceTable Table { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "Index of the entry, 0 to EntryCount - 1 (the table's IndexOf method converts an I/O bus address).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Index { get; set; }

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "RealAddress", HelpMessage = "Guest real address the entry maps to; aligned to the table's IOMMU page.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong RealAddress { get; set; }

    [Parameter(ParameterSetName = "RealAddress", HelpMessage = "Let the device read the page (TCE_PCI_READ).")]
    public SwitchParameter Read { get; set; }

    [Parameter(ParameterSetName = "RealAddress", HelpMessage = "Let the device write the page (TCE_PCI_WRITE).")]
    public SwitchParameter Write { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Value", HelpMessage = "The raw 64-bit entry value, written as is.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Value { get; set; }

    protected override void ProcessRecord() => Try(Table, () =>
    {
        if (ShouldProcess($"{Table} entry {Index}", "Set"))
        {
            WriteObject(ParameterSetName == "Value"
                ? Table.SetEntry(Index, Value)
                : Table.SetEntry(Index, RealAddress, Read.IsPresent, Write.IsPresent));
        }
    });
}
