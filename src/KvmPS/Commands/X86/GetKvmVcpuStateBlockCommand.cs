using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmVcpuStateBlock", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmVcpuStateBlock.md")]
[OutputType(typeof(VcpuStateBlock))]
public sealed class GetKvmVcpuStateBlockCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose state struct to read.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "Which struct: Fpu, Xsave, Xcrs, Events or DebugRegisters.")]
    public VcpuStateKind Kind { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () => WriteObject(X86VcpuState.Get(Vcpu, Kind)));
}
