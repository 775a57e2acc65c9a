using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Set, "VfioIommu", HelpUri = HelpLinks.CmdletsRoot + "Set-VfioIommu.md", SupportsShouldProcess = true)]
[OutputType(typeof(VfioContainer))]
public sealed class SetVfioIommuCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "The container; a group must already be attached.")]
    public VfioContainer Container { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The IOMMU model: Type1v2 or Type1 (x86_64, aarch64), SpaprTceV2 or SpaprTce (POWER).")]
    public VfioIommuType Type { get; set; }

    [Parameter(HelpMessage = "Write the container to the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Container, () =>
    {
        if (ShouldProcess(Container.ToString(), $"Set IOMMU type {Type}"))
        {
            Container.SetIommu(Type);
            if (PassThru)
            {
                WriteObject(Container);
            }
        }
    });
}
