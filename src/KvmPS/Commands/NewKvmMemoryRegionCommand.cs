using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.New, "KvmMemoryRegion", HelpUri = HelpLinks.CmdletsRoot + "New-KvmMemoryRegion.md", DefaultParameterSetName = AnonymousSet, SupportsShouldProcess = true)]
[OutputType(typeof(GuestMemoryRegion))]
public sealed class NewKvmMemoryRegionCommand : KvmCmdlet
{
    private const string AnonymousSet = "Anonymous";
    private const string RealModeAreaSet = "RealModeArea";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = AnonymousSet, HelpMessage = "The VM that gets the memory.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RealModeAreaSet, HelpMessage = "powerpc: a Real Mode Area from New-KvmPpcRma to use as the slot's memory, instead of fresh memory.")]
    public PpcRealModeArea RealModeArea { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = AnonymousSet, HelpMessage = "Guest physical start address; page-aligned.")]
    [Parameter(Position = 0, ParameterSetName = RealModeAreaSet, HelpMessage = "Guest physical start address; page-aligned. 0 (where real mode starts) for a Real Mode Area when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong GuestAddress { get; set; }

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = AnonymousSet, HelpMessage = "Size in bytes; a non-zero multiple of the page size (e.g. 4KB, 2MB).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Size { get; set; }

    [Parameter(HelpMessage = "The memory slot number; the lowest free slot when omitted.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int? Slot { get; set; }

    [Parameter(ParameterSetName = AnonymousSet, HelpMessage = "Make the region read-only for the guest: its writes become MMIO exits (needs KVM_CAP_READONLY_MEM).")]
    public SwitchParameter ReadOnly { get; set; }

    [Parameter(ParameterSetName = AnonymousSet, HelpMessage = "Track pages the guest writes (KVM_MEM_LOG_DIRTY_PAGES), for Get-KvmDirtyLog.")]
    public SwitchParameter LogDirtyPages { get; set; }

    [Parameter(ParameterSetName = AnonymousSet, HelpMessage = "Also back the slot with this guest_memfd from New-KvmGuestMemfd (KVM_SET_USER_MEMORY_REGION2, KVM_MEM_GUEST_MEMFD).")]
    public KvmGuestMemfd? GuestMemfd { get; set; }

    [Parameter(ParameterSetName = AnonymousSet, HelpMessage = "With -GuestMemfd: the page-aligned offset in the guest_memfd where the slot's memory starts.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong GuestMemfdOffset { get; set; }

    protected override void ProcessRecord() => Try(ParameterSetName == RealModeAreaSet ? RealModeArea : Vm, () =>
    {
        string target = ParameterSetName == RealModeAreaSet ? RealModeArea.ToString()! : Vm.ToString();
        if (!ShouldProcess(target, $"Add a memory region at 0x{GuestAddress:X}"))
        {
            return;
        }
        WriteObject(ParameterSetName == RealModeAreaSet
            ? RealModeArea.AddAsMemoryRegion(GuestAddress, Slot)
            : GuestMemfd is not null
                ? Vm.AddMemoryRegion(GuestAddress, Size, GuestMemfd, GuestMemfdOffset, Slot, Flags())
                : Vm.AddMemoryRegion(GuestAddress, Size, Slot, Flags()));
    });

    private MemoryRegionFlags Flags() =>
        (ReadOnly ? MemoryRegionFlags.ReadOnly : MemoryRegionFlags.None) | (LogDirtyPages ? MemoryRegionFlags.LogDirtyPages : MemoryRegionFlags.None);
}
