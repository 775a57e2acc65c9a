using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmMpState", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmMpState.md")]
[OutputType(typeof(KvmMpState))]
public sealed class GetKvmMpStateCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose multiprocessing state to read.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vcpu, () => WriteObject(VcpuMpState.Get(Vcpu)));
}
