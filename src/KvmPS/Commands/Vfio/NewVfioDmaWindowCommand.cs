using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.New, "VfioDmaWindow", HelpUri = HelpLinks.CmdletsRoot + "New-VfioDmaWindow.md", SupportsShouldProcess = true)]
[OutputType(typeof(VfioDmaWindow))]
public sealed class NewVfioDmaWindowCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "The SPAPR_TCE_v2 container to create the window in.")]
    public VfioContainer Container { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "log2 of the IOMMU page size (12 = 4K, 16 = 64K, 24 = 16M); one of the platform's page sizes.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int PageShift { get; set; }

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "Window size in bytes; a power of two (e.g. 1TB).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong WindowSize { get; set; }

    [Parameter(HelpMessage = "TCE table levels; estimated (and raised on failure) when omitted.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int? Levels { get; set; }

    protected override void ProcessRecord() => Try(Container, () =>
    {
        if (ShouldProcess(Container.ToString(), $"Create a DMA window of 0x{WindowSize:X} bytes with 2^{PageShift}-byte pages"))
        {
            WriteObject(Container.CreateDmaWindow(PageShift, WindowSize, Levels));
        }
    });
}
