using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.New, "KvmSpaprTce", DefaultParameterSetName = "WindowSize")]
[OutputType(typeof(SpaprTceTable))]
public sealed class NewKvmSpaprTceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM that gets the TCE table.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The logical I/O bus number the table translates for; one table per LIOBN.")]
    public ulong Liobn { get; set; }

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "WindowSize", HelpMessage = "DMA window size in bytes at bus offset 0; a non-zero multiple of 4 KiB (one entry per 4 KiB).")]
    public ulong WindowSize { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Pages", HelpMessage = "IOMMU page shift, 12 (4 KiB) to 34 (16 GiB).")]
    [ValidateRange(12, 34)]
    public int PageShift { get; set; }

    [Parameter(ParameterSetName = "Pages", HelpMessage = "Bus offset of the window, in IOMMU pages.")]
    public ulong Offset { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Pages", HelpMessage = "Window size in IOMMU pages, which is the number of entries.")]
    public ulong Size { get; set; }

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(ParameterSetName == "Pages"
        ? SpaprTceTable.Create(Vm, Liobn, PageShift, Offset, Size)
        : SpaprTceTable.Create(Vm, Liobn, WindowSize)));
}
