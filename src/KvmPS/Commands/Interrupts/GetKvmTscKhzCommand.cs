using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.Get, "KvmTscKhz", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmTscKhz.md")]
[OutputType(typeof(uint))]
public sealed class GetKvmTscKhzCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose guest TSC frequency to read.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vcpu, () => WriteObject(VcpuTscKhz.Get(Vcpu)));
}
