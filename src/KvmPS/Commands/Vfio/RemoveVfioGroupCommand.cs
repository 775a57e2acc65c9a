using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Remove, "VfioGroup", HelpUri = HelpLinks.CmdletsRoot + "Remove-VfioGroup.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveVfioGroupCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The group to detach from its container and close.")]
    public VfioGroup[] Group { get; set; } = [];

    [Parameter(HelpMessage = "Do not ask for confirmation, and close the group's open devices first instead of refusing (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (VfioGroup group in Group)
        {
            Try(group, () =>
            {
                if (ShouldChange(group.ToString(), "Remove", Force))
                {
                    group.Container.DetachGroup(group, Force.IsPresent);
                }
            });
        }
    }
}
