using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Add, "VfioDmaMapping")]
[OutputType(typeof(VfioDmaMapping))]
public sealed class AddVfioDmaMappingCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, HelpMessage = "The container whose IOMMU maps the memory.")]
    public VfioContainer Container { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM memory region whose backing memory devices may reach.")]
    public GuestMemoryRegion MemoryRegion { get; set; } = null!;

    [Parameter(HelpMessage = "The I/O virtual address the device uses; the region's guest address when omitted.")]
    public ulong? Iova { get; set; }

    [Parameter(HelpMessage = "Let the device read the memory but not write it.")]
    public SwitchParameter ReadOnly { get; set; }

    protected override void ProcessRecord() => Try(MemoryRegion, () => WriteObject(Container.MapDma(MemoryRegion, Iova, ReadOnly.IsPresent)));
}
