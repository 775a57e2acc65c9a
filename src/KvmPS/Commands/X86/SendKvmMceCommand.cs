using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommunications.Send, "KvmMce", HelpUri = HelpLinks.CmdletsRoot + "Send-KvmMce.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SendKvmMceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU that sees the machine-check event.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The bank (0 to the bank count minus 1) the event is recorded in.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public byte Bank { get; set; }

    [Parameter(Mandatory = true, Position = 2, HelpMessage = "IA32_MCi_STATUS of the event; bit 63 (VAL) must be set, bit 61 (UC) makes it uncorrected.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Status { get; set; }

    [Parameter(HelpMessage = "IA32_MCi_ADDR of the event.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Address { get; set; }

    [Parameter(HelpMessage = "IA32_MCi_MISC of the event.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Misc { get; set; }

    [Parameter(HelpMessage = "IA32_MCG_STATUS to set with it (bit 2, MCIP, with an uncorrected status raises #MC in the guest).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong McgStatus { get; set; }

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), $"Inject a machine-check event into bank {Bank}, status 0x{Status:X} (KVM_X86_SET_MCE)"))
        {
            X86Mce.Inject(Vcpu, Bank, Status, Address, Misc, McgStatus);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
