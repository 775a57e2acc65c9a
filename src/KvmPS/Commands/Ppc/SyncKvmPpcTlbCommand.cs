using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsData.Sync, "KvmPpcTlb", HelpUri = HelpLinks.CmdletsRoot + "Sync-KvmPpcTlb.md", SupportsShouldProcess = true)]
[OutputType(typeof(PpcSoftwareTlb))]
public sealed class SyncKvmPpcTlbCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The shared TLB from Enable-KvmPpcSoftwareTlb.")]
    public PpcSoftwareTlb Tlb { get; set; } = null!;

    [Parameter(HelpMessage = "The entries to report as changed; the entries changed through SetEntry since the last sync when omitted.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int[]? Index { get; set; }

    [Parameter(HelpMessage = "Write the TLB to the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Tlb, () =>
    {
        if (ShouldProcess(Tlb.ToString(), "Mark entries dirty (KVM_DIRTY_TLB)"))
        {
            Tlb.Sync(Index);
        }
        if (PassThru)
        {
            WriteObject(Tlb);
        }
    });
}
