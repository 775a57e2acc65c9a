using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Get, "VfioIommuInfo", HelpUri = HelpLinks.CmdletsRoot + "Get-VfioIommuInfo.md")]
[OutputType(typeof(VfioType1IommuInfo), typeof(VfioSpaprTceIommuInfo))]
public sealed class GetVfioIommuInfoCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The container whose IOMMU to describe; its IOMMU type must be set.")]
    public VfioContainer Container { get; set; } = null!;

    protected override void ProcessRecord() => Try(Container, () => WriteObject(Container.GetIommuInfo()));
}
