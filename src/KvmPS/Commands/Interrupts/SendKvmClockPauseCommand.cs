using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommunications.Send, "KvmClockPause", HelpUri = HelpLinks.CmdletsRoot + "Send-KvmClockPause.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SendKvmClockPauseCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The paused vCPU whose guest kvmclock to tell.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), "Tell the guest's kvmclock that the vCPU was paused (KVM_KVMCLOCK_CTRL)"))
        {
            VcpuClockPause.Notify(Vcpu);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
