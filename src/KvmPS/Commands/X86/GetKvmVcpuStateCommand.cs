using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmVcpuState", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmVcpuState.md")]
[OutputType(typeof(VcpuState))]
public sealed class GetKvmVcpuStateCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose whole state to capture.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vcpu, () => WriteObject(VcpuStateSnapshot.Capture(Vcpu)));
}
