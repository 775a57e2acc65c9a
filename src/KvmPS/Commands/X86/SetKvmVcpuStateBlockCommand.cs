using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Set, "KvmVcpuStateBlock", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmVcpuStateBlock.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SetKvmVcpuStateBlockCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The vCPU whose state struct to write.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, HelpMessage = "The struct, as Get-KvmVcpuStateBlock returns it or its With(name, value) changed it.")]
    public VcpuStateBlock Block { get; set; } = null!;

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), $"Write struct {Block.Struct}"))
        {
            X86VcpuState.Set(Vcpu, Block);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
