using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Arm;

namespace KvmPS.Commands.Arm;

[Cmdlet(VerbsCommon.New, "KvmArmVgic", HelpUri = HelpLinks.CmdletsRoot + "New-KvmArmVgic.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmDevice))]
public sealed class NewKvmArmVgicCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true,
        HelpMessage = "The ARM VM that gets the in-kernel interrupt controller.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Position = 1, HelpMessage = "VgicV2 (KVM_DEV_TYPE_ARM_VGIC_V2) or VgicV3 (KVM_DEV_TYPE_ARM_VGIC_V3, the default).")]
    public ArmDevice Device { get; set; } = ArmDevice.VgicV3;

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Create {Device}"))
        {
            WriteObject(ArmVgic.Create(Vm, Device));
        }
    });
}
