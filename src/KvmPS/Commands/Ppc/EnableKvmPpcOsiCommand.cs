using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsLifecycle.Enable, "KvmPpcOsi", HelpUri = HelpLinks.CmdletsRoot + "Enable-KvmPpcOsi.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class EnableKvmPpcOsiCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose OSI hypercalls should exit to userspace (KVM_CAP_PPC_OSI).")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(HelpMessage = "Write the vCPU to the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), "Enable KVM_CAP_PPC_OSI"))
        {
            PpcVcpuCapabilities.EnableOsi(Vcpu);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
