using System.Management.Automation;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.New, "KvmMemoryRegion")]
[OutputType(typeof(GuestMemoryRegion))]
public sealed class NewKvmMemoryRegionCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM that gets the memory.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "Guest physical start address; page-aligned.")]
    public ulong GuestAddress { get; set; }

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "Size in bytes; a non-zero multiple of the page size (e.g. 4KB, 2MB).")]
    public ulong Size { get; set; }

    [Parameter(HelpMessage = "The memory slot number; the lowest free slot when omitted.")]
    public int? Slot { get; set; }

    [Parameter(HelpMessage = "Make the region read-only for the guest: its writes become MMIO exits (needs KVM_CAP_READONLY_MEM).")]
    public SwitchParameter ReadOnly { get; set; }

    [Parameter(HelpMessage = "Track pages the guest writes (KVM_MEM_LOG_DIRTY_PAGES), for Get-KvmDirtyLog.")]
    public SwitchParameter LogDirtyPages { get; set; }

    protected override void ProcessRecord() => Try(Vm, () => WriteObject(Vm.AddMemoryRegion(GuestAddress, Size, Slot,
        (ReadOnly ? MemoryRegionFlags.ReadOnly : MemoryRegionFlags.None) | (LogDirtyPages ? MemoryRegionFlags.LogDirtyPages : MemoryRegionFlags.None))));
}
