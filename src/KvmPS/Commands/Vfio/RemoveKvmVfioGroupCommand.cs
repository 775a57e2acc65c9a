using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Remove, "KvmVfioGroup", HelpUri = HelpLinks.CmdletsRoot + "Remove-KvmVfioGroup.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmVfioGroupCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose KVM-VFIO device forgets the group.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VFIO group to remove from the VM.")]
    public VfioGroup Group { get; set; } = null!;

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => Try(Group, () =>
    {
        if (ShouldChange($"{Group} of VM {Vm.Id}", "Remove", Force))
        {
            KvmVfioDevice.Existing(Vm).RemoveGroup(Group);
        }
    });
}
