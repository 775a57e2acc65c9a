using System.Management.Automation;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmHost")]
[OutputType(typeof(KvmHostInfo))]
public sealed class GetKvmHostCommand : KvmCmdlet
{
    protected override void EndProcessing() => TryOrStop(null, () => WriteObject(Session.System.Describe()));
}
