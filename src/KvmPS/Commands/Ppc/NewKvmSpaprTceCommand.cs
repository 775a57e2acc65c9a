using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.New, "KvmSpaprTce", HelpUri = HelpLinks.CmdletsRoot + "New-KvmSpaprTce.md", DefaultParameterSetName = "WindowSize", SupportsShouldProcess = true)]
[OutputType(typeof(SpaprTceTable))]
public sealed class NewKvmSpaprTceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM that gets the TCE table.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The logical I/O bus number the table translates for; one table per LIOBN.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Liobn { get; set; }

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "WindowSize", HelpMessage = "DMA window size in bytes at bus offset 0; a non-zero multiple of 4 KiB (one entry per 4 KiB).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong WindowSize { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Pages", HelpMessage = "IOMMU page shift, 12 (4 KiB) to 34 (16 GiB).")]
    [ValidateRange(12, 34)]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int PageShift { get; set; }

    [Parameter(ParameterSetName = "Pages", HelpMessage = "Bus offset of the window, in IOMMU pages.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Offset { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Pages", HelpMessage = "Window size in IOMMU pages, which is the number of entries.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Size { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Create the TCE table of LIOBN 0x{Liobn:X}"))
        {
            WriteObject(ParameterSetName == "Pages"
                ? SpaprTceTable.Create(Vm, Liobn, PageShift, Offset, Size)
                : SpaprTceTable.Create(Vm, Liobn, WindowSize));
        }
    });
}
