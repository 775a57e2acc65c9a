using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Open, "VfioContainer", HelpUri = HelpLinks.CmdletsRoot + "Open-VfioContainer.md", SupportsShouldProcess = true)]
[OutputType(typeof(VfioContainer))]
public sealed class OpenVfioContainerCommand : KvmCmdlet
{
    protected override void EndProcessing() => TryOrStop(null, () =>
    {
        if (ShouldProcess(VfioSession.Default.DevicePath, "Open a container"))
        {
            WriteObject(VfioSession.Default.OpenContainer());
        }
    });
}
