using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Arm;

namespace KvmPS.Commands.Arm;

[Cmdlet(VerbsData.Initialize, "KvmArmVcpu", HelpUri = HelpLinks.CmdletsRoot + "Initialize-KvmArmVcpu.md", SupportsShouldProcess = true)]
[OutputType(typeof(ArmVcpuTarget))]
public sealed class InitializeKvmArmVcpuCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The ARM vCPU to initialise (KVM_ARM_VCPU_INIT).")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Position = 1, HelpMessage = "Feature bits to request: PowerOff, El1Aarch32, Psci02, PmuV3, Sve, PtrauthAddress, PtrauthGeneric.")]
    public ArmVcpuFeature[]? Feature { get; set; }

    [Parameter(HelpMessage = "The KVM_ARM_TARGET_* value; the VM's preferred target (KVM_ARM_PREFERRED_TARGET) when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint? Target { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), "Initialize (KVM_ARM_VCPU_INIT)"))
        {
            WriteObject(ArmVcpus.Initialize(Vcpu, Feature, Target));
        }
    });
}
