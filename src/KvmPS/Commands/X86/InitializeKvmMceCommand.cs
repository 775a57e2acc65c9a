using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsData.Initialize, "KvmMce", HelpUri = HelpLinks.CmdletsRoot + "Initialize-KvmMce.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class InitializeKvmMceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose machine-check emulation to set up.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The number of machine-check banks (1-32): IA32_MCG_CAP bits 0-7.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int Banks { get; set; }

    [Parameter(HelpMessage = "The IA32_MCG_CAP feature bits (bit 8 and up), a subset of Get-KvmMceCapability; all the host supports when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong? Capabilities { get; set; }

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        string capabilities = Capabilities is ulong bits ? $"capabilities 0x{bits:X}" : "the host's supported capabilities";
        if (ShouldProcess(Vcpu.ToString(), $"Set up machine-check emulation with {Banks} banks and {capabilities} (KVM_X86_SETUP_MCE)"))
        {
            X86Mce.Setup(Vcpu, Banks, Capabilities ?? X86Mce.GetSupportedCapabilities(Vcpu.Vm.System));
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
