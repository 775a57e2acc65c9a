using System.Management.Automation;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmMceCapability", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmMceCapability.md")]
[OutputType(typeof(ulong))]
public sealed class GetKvmMceCapabilityCommand : KvmCmdlet
{
    protected override void ProcessRecord() => Try(null, () => WriteObject(X86Mce.GetSupportedCapabilities(Session.System)));
}
