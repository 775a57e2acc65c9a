using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmPit", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmPit.md")]
[OutputType(typeof(PitState))]
public sealed class GetKvmPitCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose in-kernel PIT state to read.")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(VmPit.Get(Vm)));
}
