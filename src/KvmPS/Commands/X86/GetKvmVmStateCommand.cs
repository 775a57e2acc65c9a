using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmVmState", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmVmState.md")]
[OutputType(typeof(VmState))]
public sealed class GetKvmVmStateCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose irqchip, PIT and kvmclock state to capture.")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(VmStateSnapshot.Capture(Vm)));
}
