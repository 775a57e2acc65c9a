using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Get, "VfioContainer", HelpUri = HelpLinks.CmdletsRoot + "Get-VfioContainer.md")]
[OutputType(typeof(VfioContainer))]
public sealed class GetVfioContainerCommand : KvmCmdlet
{
    [Parameter(Position = 0, HelpMessage = "Ids of the containers to get; every open container of the session when omitted.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(VfioContainerIdCompleter))]
    public int[]? Id { get; set; }

    protected override void EndProcessing()
    {
        if (Id is null)
        {
            WriteObject(VfioSession.Default.Containers, enumerateCollection: true);
            return;
        }
        foreach (int id in Id)
        {
            Try(id, () => WriteObject(VfioSession.Default.GetContainer(id)));
        }
    }
}
