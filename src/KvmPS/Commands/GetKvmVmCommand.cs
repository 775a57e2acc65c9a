using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmVm", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmVm.md")]
[OutputType(typeof(KvmVm))]
public sealed class GetKvmVmCommand : KvmCmdlet
{
    [Parameter(Position = 0, HelpMessage = "Ids of the VMs to get; all VMs of the session when omitted.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(VmIdCompleter))]
    public int[]? Id { get; set; }

    protected override void EndProcessing()
    {
        if (Id is null)
        {
            WriteObject(Session.Vms, enumerateCollection: true);
            return;
        }
        foreach (int id in Id)
        {
            Try(id, () => WriteObject(Session.GetVm(id)));
        }
    }
}
