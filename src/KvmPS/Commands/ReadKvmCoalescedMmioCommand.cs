using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommunications.Read, "KvmCoalescedMmio", HelpUri = HelpLinks.CmdletsRoot + "Read-KvmCoalescedMmio.md")]
[OutputType(typeof(CoalescedMmioEntry))]
public sealed class ReadKvmCoalescedMmioCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose coalesced MMIO ring to drain.")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(VmCoalescedMmio.Read(Vm), enumerateCollection: true));
}
