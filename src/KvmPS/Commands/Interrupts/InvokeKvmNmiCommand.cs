using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsLifecycle.Invoke, "KvmNmi", HelpUri = HelpLinks.CmdletsRoot + "Invoke-KvmNmi.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class InvokeKvmNmiCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU to send a non-maskable interrupt.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), "Queue an NMI (KVM_NMI)"))
        {
            VcpuInterrupts.Nmi(Vcpu);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
