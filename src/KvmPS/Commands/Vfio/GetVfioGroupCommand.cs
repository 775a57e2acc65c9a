using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Get, "VfioGroup", HelpUri = HelpLinks.CmdletsRoot + "Get-VfioGroup.md", DefaultParameterSetName = "Host")]
[OutputType(typeof(VfioGroupInfo), ParameterSetName = new[] { "Host" })]
[OutputType(typeof(VfioGroup), ParameterSetName = new[] { "Container" })]
public sealed class GetVfioGroupCommand : KvmCmdlet
{
    [Parameter(Position = 0, HelpMessage = "IOMMU group ids to report; all groups when omitted.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(IommuGroupIdCompleter))]
    public int[]? Id { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Container",
        HelpMessage = "List the groups attached to this container instead of the host's IOMMU groups.")]
    public VfioContainer Container { get; set; } = null!;

    protected override void ProcessRecord() => Try(Container, () =>
    {
        if (ParameterSetName == "Container")
        {
            WriteObject(Container.Groups.Where(g => Id is null || Id.Contains(g.Id)), enumerateCollection: true);
        }
        else
        {
            WriteObject(VfioSession.Default.IommuGroups.List().Where(g => Id is null || Id.Contains(g.Id)), enumerateCollection: true);
        }
    });
}
