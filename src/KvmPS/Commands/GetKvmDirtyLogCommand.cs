using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmDirtyLog", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmDirtyLog.md")]
[OutputType(typeof(DirtyPage))]
public sealed class GetKvmDirtyLogCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "A memory region created with -LogDirtyPages; reading its log resets it.")]
    public GuestMemoryRegion[] Region { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (GuestMemoryRegion region in Region)
        {
            Try(region, () => WriteObject(region.GetDirtyPages(), enumerateCollection: true));
        }
    }
}
