using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.Set, "KvmTscKhz", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmTscKhz.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SetKvmTscKhzCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose guest TSC frequency to set.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The guest TSC frequency in kHz (2000000 for 2 GHz).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Khz { get; set; }

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), $"Set the guest TSC frequency to {Khz} kHz (KVM_SET_TSC_KHZ)"))
        {
            VcpuTscKhz.Set(Vcpu, Khz);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
