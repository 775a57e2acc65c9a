using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Close, "VfioContainer", HelpUri = HelpLinks.CmdletsRoot + "Close-VfioContainer.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Container")]
[OutputType(typeof(void))]
public sealed class CloseVfioContainerCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Container",
        HelpMessage = "The container to close; its devices and groups are closed with it.")]
    public VfioContainer[] Container { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "Id", HelpMessage = "Ids of the containers to close.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(VfioContainerIdCompleter))]
    public int[] Id { get; set; } = [];

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (object key in ParameterSetName == "Id" ? Id.Cast<object>() : Container)
        {
            Try(key, () =>
            {
                VfioContainer container = key as VfioContainer ?? VfioSession.Default.GetContainer((int)key);
                if (ShouldChange(container.ToString(), "Close", Force))
                {
                    VfioSession.Default.CloseContainer(container);
                }
            });
        }
    }
}
