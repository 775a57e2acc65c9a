using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Remove, "KvmMemoryRegion", HelpUri = HelpLinks.CmdletsRoot + "Remove-KvmMemoryRegion.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmMemoryRegionCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The memory region to delete from its VM; its memory is unmapped.")]
    public GuestMemoryRegion[] Region { get; set; } = [];

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (GuestMemoryRegion region in Region)
        {
            Try(region, () =>
            {
                if (ShouldChange(region.ToString(), "Remove", Force))
                {
                    region.Vm.RemoveMemoryRegion(region);
                }
            });
        }
    }
}
