using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Interop.Handles;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Set, "KvmVfioSpaprTce", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmVfioSpaprTce.md", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class SetKvmVfioSpaprTceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM (binds from a TCE table's Vm property).")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The VFIO group, already added with Add-KvmVfioGroup.")]
    public VfioGroup Group { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true,
        HelpMessage = "The KVM TCE table's descriptor (New-KvmSpaprTce); binds from a piped table's Handle (or Descriptor) property.")]
    [Alias("Descriptor", "Handle")]
    public FileDescriptorHandle TableDescriptor { get; set; } = null!;

    protected override void ProcessRecord() => Try(Group, () =>
    {
        if (ShouldProcess($"{Group} of VM {Vm.Id}", $"Link to TCE table descriptor {TableDescriptor.Number}"))
        {
            KvmVfioDevice.Existing(Vm).SetSpaprTce(Group, TableDescriptor);
        }
    });
}
