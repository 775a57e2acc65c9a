using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Set, "KvmVcpuState", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmVcpuState.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SetKvmVcpuStateCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The vCPU to restore the state into.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, HelpMessage = "The state, as Get-KvmVcpuState returns it.")]
    public VcpuState State { get; set; } = null!;

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), $"Restore {State}"))
        {
            VcpuStateSnapshot.Restore(Vcpu, State);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
