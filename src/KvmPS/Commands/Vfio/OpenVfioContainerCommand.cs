using System.Management.Automation;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Open, "VfioContainer")]
[OutputType(typeof(VfioContainer))]
public sealed class OpenVfioContainerCommand : KvmCmdlet
{
    protected override void EndProcessing() => TryOrStop(null, () => WriteObject(VfioSession.Default.OpenContainer()));
}
