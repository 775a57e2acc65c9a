using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsLifecycle.Enable, "KvmPpcPapr", HelpUri = HelpLinks.CmdletsRoot + "Enable-KvmPpcPapr.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class EnableKvmPpcPaprCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU to switch to PAPR mode (KVM_CAP_PPC_PAPR).")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(HelpMessage = "Write the vCPU to the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), "Enable KVM_CAP_PPC_PAPR"))
        {
            PpcVcpuCapabilities.EnablePapr(Vcpu);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
