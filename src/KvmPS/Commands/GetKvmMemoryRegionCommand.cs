using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmMemoryRegion", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmMemoryRegion.md")]
[OutputType(typeof(GuestMemoryRegion))]
public sealed class GetKvmMemoryRegionCommand : KvmCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose regions to list; every VM of the session when omitted.")]
    public KvmVm[]? Vm { get; set; }

    protected override void ProcessRecord()
    {
        foreach (KvmVm? vm in Vm ?? Session.Vms.ToArray())
        {
            Try(vm, () => WriteObject((vm ?? throw InputErrors.Null("An element of -Vm", "VM objects from New-KvmVm or Get-KvmVm")).MemoryRegions,
                enumerateCollection: true));
        }
    }
}
