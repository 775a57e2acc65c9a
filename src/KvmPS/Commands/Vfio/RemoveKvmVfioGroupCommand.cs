using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Remove, "KvmVfioGroup", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveKvmVfioGroupCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose KVM-VFIO device forgets the group.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VFIO group to remove from the VM.")]
    public VfioGroup Group { get; set; } = null!;

    protected override void ProcessRecord() => Try(Group, () =>
    {
        if (ShouldProcess($"{Group} of VM {Vm.Id}", "Remove"))
        {
            KvmVfioDevice.Existing(Vm).RemoveGroup(Group);
        }
    });
}
