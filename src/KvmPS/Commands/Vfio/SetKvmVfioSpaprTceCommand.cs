using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Set, "KvmVfioSpaprTce", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmVfioSpaprTce.md", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class SetKvmVfioSpaprTceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The VFIO group, already added with Add-KvmVfioGroup.")]
    public VfioGroup Group { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "The KVM TCE table from New-KvmSpaprTce to link the group to; its VM is the one whose KVM-VFIO device is used.")]
    public SpaprTceTable Table { get; set; } = null!;

    protected override void ProcessRecord() => Try(Group, () =>
    {
        if (ShouldProcess($"{Group} of VM {Table.VmId}", $"Link to {Table}"))
        {
            KvmVfioDevice.Existing(Table.Vm).SetSpaprTce(Group, Table);
        }
    });
}
