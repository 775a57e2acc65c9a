using System.Management.Automation;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Add, "VfioGroup")]
[OutputType(typeof(VfioGroup))]
public sealed class AddVfioGroupCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, HelpMessage = "The container the group joins.")]
    public VfioContainer Container { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true,
        HelpMessage = "The IOMMU group id (/dev/vfio/<Id>); Get-VfioGroup output binds by its Id.")]
    [Alias("GroupId")]
    public int Id { get; set; }

    protected override void ProcessRecord() => Try(Id, () => WriteObject(Container.AttachGroup(Id)));
}
