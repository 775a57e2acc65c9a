using System.Management.Automation;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Remove, "KvmMemoryRegion", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveKvmMemoryRegionCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The memory region to delete from its VM; its memory is unmapped.")]
    public GuestMemoryRegion[] Region { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (GuestMemoryRegion region in Region)
        {
            Try(region, () =>
            {
                if (ShouldProcess(region.ToString(), "Remove"))
                {
                    region.Vm.RemoveMemoryRegion(region);
                }
            });
        }
    }
}
