using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Add, "VfioDmaMapping", HelpUri = HelpLinks.CmdletsRoot + "Add-VfioDmaMapping.md", SupportsShouldProcess = true)]
[OutputType(typeof(VfioDmaMapping))]
public sealed class AddVfioDmaMappingCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, HelpMessage = "The container whose IOMMU maps the memory.")]
    public VfioContainer Container { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM memory region whose backing memory devices may reach.")]
    public GuestMemoryRegion MemoryRegion { get; set; } = null!;

    [Parameter(HelpMessage = "The I/O virtual address the device uses; the region's guest address when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong? Iova { get; set; }

    [Parameter(HelpMessage = "Let the device read the memory but not write it.")]
    public SwitchParameter ReadOnly { get; set; }

    protected override void ProcessRecord() => Try(MemoryRegion, () =>
    {
        if (ShouldProcess(Container.ToString(), $"Map {MemoryRegion} for DMA"))
        {
            WriteObject(Container.MapDma(MemoryRegion, Iova, ReadOnly.IsPresent));
        }
    });
}
