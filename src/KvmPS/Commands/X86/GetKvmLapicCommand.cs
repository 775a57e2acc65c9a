using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmLapic", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmLapic.md")]
[OutputType(typeof(LapicState))]
public sealed class GetKvmLapicCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose local APIC to read; its VM needs the in-kernel irqchip.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vcpu, () => WriteObject(X86VcpuState.GetLapic(Vcpu)));
}
