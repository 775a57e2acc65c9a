using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmHost", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmHost.md")]
[OutputType(typeof(KvmHostInfo))]
public sealed class GetKvmHostCommand : KvmCmdlet
{
    protected override void EndProcessing() => TryOrStop(null, () => WriteObject(Session.System.Describe()));
}
