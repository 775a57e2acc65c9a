using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Remove, "VfioDmaMapping", HelpUri = HelpLinks.CmdletsRoot + "Remove-VfioDmaMapping.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveVfioDmaMappingCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The mapping to remove (VFIO_IOMMU_UNMAP_DMA of its whole range).")]
    public VfioDmaMapping[] Mapping { get; set; } = [];

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (VfioDmaMapping mapping in Mapping)
        {
            Try(mapping, () =>
            {
                if (ShouldChange(mapping.ToString(), "Remove", Force))
                {
                    mapping.Container.UnmapDma(mapping);
                }
            });
        }
    }
}
