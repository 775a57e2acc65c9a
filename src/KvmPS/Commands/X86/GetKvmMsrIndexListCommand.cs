using System.Management.Automation;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmMsrIndexList", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmMsrIndexList.md")]
[OutputType(typeof(MsrIndex))]
public sealed class GetKvmMsrIndexListCommand : KvmCmdlet
{
    [Parameter(HelpMessage = "List the feature MSRs /dev/kvm reads (KVM_GET_MSR_FEATURE_INDEX_LIST) instead of the vCPU MSRs KVM saves and restores.")]
    public SwitchParameter Feature { get; set; }

    protected override void ProcessRecord() => TryOrStop(null, () =>
        WriteObject(X86Msrs.GetIndexList(Session.System, Feature.IsPresent).Select(i => new MsrIndex(i)), enumerateCollection: true));
}
