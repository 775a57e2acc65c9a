using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Set, "KvmSignalMask", DefaultParameterSetName = SignalSet, HelpUri = HelpLinks.CmdletsRoot + "Set-KvmSignalMask.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SetKvmSignalMaskCommand : KvmCmdlet
{
    private const string SignalSet = "Signal";
    private const string ClearSet = "Clear";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose signal mask during KVM_RUN to set.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SignalSet, HelpMessage = "The signal numbers (1-64) blocked while the vCPU runs the guest; an empty array blocks none. 28 (SIGWINCH, the kick signal) is refused.")]
    [AllowEmptyCollection]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int[] Signal { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = ClearSet, HelpMessage = "Remove the mask: the vCPU's thread runs the guest with its own signal mask.")]
    public SwitchParameter Clear { get; set; }

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (Clear)
        {
            if (ShouldProcess(Vcpu.ToString(), "Clear the signal mask used during KVM_RUN (KVM_SET_SIGNAL_MASK)"))
            {
                VcpuSignalMask.Clear(Vcpu);
            }
        }
        else if (ShouldProcess(Vcpu.ToString(), $"Block signals [{string.Join(", ", Signal)}] during KVM_RUN (KVM_SET_SIGNAL_MASK)"))
        {
            VcpuSignalMask.Set(Vcpu, Signal);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
