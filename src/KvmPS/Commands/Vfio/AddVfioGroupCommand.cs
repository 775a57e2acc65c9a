using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Add, "VfioGroup", HelpUri = HelpLinks.CmdletsRoot + "Add-VfioGroup.md", SupportsShouldProcess = true)]
[OutputType(typeof(VfioGroup))]
public sealed class AddVfioGroupCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, HelpMessage = "The container the group joins.")]
    public VfioContainer Container { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true,
        HelpMessage = "The IOMMU group id (/dev/vfio/<Id>); Get-VfioGroup output binds by its Id.")]
    [Alias("GroupId")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(IommuGroupIdCompleter))]
    public int Id { get; set; }

    protected override void ProcessRecord() => Try(Id, () =>
    {
        if (ShouldProcess(Container.ToString(), $"Add IOMMU group {Id}"))
        {
            WriteObject(Container.AttachGroup(Id));
        }
    });
}
