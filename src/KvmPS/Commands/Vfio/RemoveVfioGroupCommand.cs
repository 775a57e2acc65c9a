using System.Management.Automation;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Remove, "VfioGroup", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveVfioGroupCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The group to detach from its container and close.")]
    public VfioGroup[] Group { get; set; } = [];

    [Parameter(HelpMessage = "Close the group's open devices first instead of refusing.")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (VfioGroup group in Group)
        {
            Try(group, () =>
            {
                if (ShouldProcess(group.ToString(), "Remove"))
                {
                    group.Container.DetachGroup(group, Force.IsPresent);
                }
            });
        }
    }
}
