using System.Management.Automation;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Remove, "VfioDmaMapping", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveVfioDmaMappingCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The mapping to remove (VFIO_IOMMU_UNMAP_DMA of its whole range).")]
    public VfioDmaMapping[] Mapping { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (VfioDmaMapping mapping in Mapping)
        {
            Try(mapping, () =>
            {
                if (ShouldProcess(mapping.ToString(), "Remove"))
                {
                    mapping.Container.UnmapDma(mapping);
                }
            });
        }
    }
}
