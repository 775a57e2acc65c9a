using System.Management.Automation;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsData.Sync, "KvmPpcTlb")]
[OutputType(typeof(PpcSoftwareTlb))]
public sealed class SyncKvmPpcTlbCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The shared TLB from Enable-KvmPpcSoftwareTlb.")]
    public PpcSoftwareTlb Tlb { get; set; } = null!;

    [Parameter(HelpMessage = "The entries to report as changed; the entries changed through SetEntry since the last sync when omitted.")]
    public int[]? Index { get; set; }

    [Parameter(HelpMessage = "Write the TLB to the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Tlb, () =>
    {
        Tlb.Sync(Index);
        if (PassThru)
        {
            WriteObject(Tlb);
        }
    });
}
