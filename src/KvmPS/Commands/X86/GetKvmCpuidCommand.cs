using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmCpuid", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmCpuid.md")]
[OutputType(typeof(CpuidEntry))]
public sealed class GetKvmCpuidCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose CPUID table to read.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vcpu, () => WriteObject(X86Cpuid.Get(Vcpu), enumerateCollection: true));
}
