using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Add, "KvmVfioGroup", HelpUri = HelpLinks.CmdletsRoot + "Add-KvmVfioGroup.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVfioDevice))]
public sealed class AddKvmVfioGroupCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose KVM-VFIO device learns of the group (created on first use).")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VFIO group the guest will use.")]
    public VfioGroup Group { get; set; } = null!;

    protected override void ProcessRecord() => Try(Group, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Add {Group} to the KVM-VFIO device"))
        {
            KvmVfioDevice device = KvmVfioDevice.For(Vm);
            device.AddGroup(Group);
            WriteObject(device);
        }
    });
}
