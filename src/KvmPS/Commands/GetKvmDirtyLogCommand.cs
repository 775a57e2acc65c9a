using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmDirtyLog", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmDirtyLog.md", DefaultParameterSetName = "Bitmap")]
[OutputType(typeof(DirtyPage))]
public sealed class GetKvmDirtyLogCommand : KvmCmdlet
{
    [Parameter(ParameterSetName = "Bitmap", Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "A memory region created with -LogDirtyPages; reading its log resets it.")]
    public GuestMemoryRegion[] Region { get; set; } = [];

    [Parameter(ParameterSetName = "Ring", Mandatory = true, HelpMessage = "A VM created with -DirtyRingSize: harvest every vCPU's dirty ring and reset the rings (KVM_RESET_DIRTY_RINGS).")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Ring")
        {
            Try(Vm, () => WriteObject(VmDirtyRing.Harvest(Vm), enumerateCollection: true));
            return;
        }
        foreach (GuestMemoryRegion region in Region)
        {
            Try(region, () => WriteObject(region.GetDirtyPages(), enumerateCollection: true));
        }
    }
}
