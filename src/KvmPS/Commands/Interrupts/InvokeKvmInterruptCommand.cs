using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsLifecycle.Invoke, "KvmInterrupt", HelpUri = HelpLinks.CmdletsRoot + "Invoke-KvmInterrupt.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class InvokeKvmInterruptCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU to interrupt; its VM must have no in-kernel irqchip.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The interrupt vector, 0-255 (external interrupts use 32-255).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Vector { get; set; }

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), $"Queue interrupt vector 0x{Vector:X2} (KVM_INTERRUPT)"))
        {
            VcpuInterrupts.Interrupt(Vcpu, Vector);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
