using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.Get, "KvmClock", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmClock.md")]
[OutputType(typeof(KvmClock))]
public sealed class GetKvmClockCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose kvmclock to read.")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(VmClock.Get(Vm)));
}
