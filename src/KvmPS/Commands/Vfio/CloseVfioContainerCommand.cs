using System.Management.Automation;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Close, "VfioContainer", SupportsShouldProcess = true, DefaultParameterSetName = "Container")]
[OutputType(typeof(void))]
public sealed class CloseVfioContainerCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Container",
        HelpMessage = "The container to close; its devices and groups are closed with it.")]
    public VfioContainer[] Container { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "Id", HelpMessage = "Ids of the containers to close.")]
    public int[] Id { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (object key in ParameterSetName == "Id" ? Id.Cast<object>() : Container)
        {
            Try(key, () =>
            {
                VfioContainer container = key as VfioContainer ?? VfioSession.Default.GetContainer((int)key);
                if (ShouldProcess(container.ToString(), "Close"))
                {
                    VfioSession.Default.CloseContainer(container);
                }
            });
        }
    }
}
