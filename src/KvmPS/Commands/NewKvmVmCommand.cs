using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.New, "KvmVm", HelpUri = HelpLinks.CmdletsRoot + "New-KvmVm.md", DefaultParameterSetName = "Default", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class NewKvmVmCommand : KvmCmdlet
{
    private const string MemoryHelp = "x86: guest RAM in bytes (1MB to 3GB, page-aligned) as one memory region from guest address 0, as a PC has it.";
    private const string IdentityMapHelp = "x86: the guest-physical page (below 4 GiB, clear of RAM and MMIO) where Intel VMX keeps its real-mode identity page table (KVM_SET_IDENTITY_MAP_ADDR), set before any vCPU.";
    private const string BootCpuIdHelp = "x86: the vCPU id of the bootstrap processor (KVM_SET_BOOT_CPU_ID; 0 when omitted), set before any vCPU.";
    private const string DirtyRingHelp = "Log dirty pages in a ring of this many bytes per vCPU (KVM_CAP_DIRTY_LOG_RING; a power of two, at least a page) instead of per-slot bitmaps; set before any vCPU. Read with Get-KvmDirtyLog -Vm.";
    private const string SmpHelp = "x86: create the in-kernel irqchip and PIT, then this many vCPUs (ids 0..N-1); vCPUs other than 0 wait for the guest's INIT/SIPI.";

    [Parameter(ParameterSetName = "MachineType", HelpMessage = "The raw machine type passed to KVM_CREATE_VM (0 is the default VM; its meaning is architecture-specific).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong MachineType { get; set; }

    [Parameter(ParameterSetName = "Default", HelpMessage = MemoryHelp)]
    [Parameter(ParameterSetName = "MachineType", HelpMessage = MemoryHelp)]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong? Memory { get; set; }

    [Parameter(ParameterSetName = "Default", HelpMessage = SmpHelp)]
    [Parameter(ParameterSetName = "MachineType", HelpMessage = SmpHelp)]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    [ValidateRange(1, KvmPS.Boot.PcMachine.MaxSmp)]
    public int? Smp { get; set; }

    [Parameter(ParameterSetName = "Default", HelpMessage = IdentityMapHelp)]
    [Parameter(ParameterSetName = "MachineType", HelpMessage = IdentityMapHelp)]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong? IdentityMapAddress { get; set; }

    [Parameter(ParameterSetName = "Default", HelpMessage = BootCpuIdHelp)]
    [Parameter(ParameterSetName = "MachineType", HelpMessage = BootCpuIdHelp)]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    [ValidateRange(0, int.MaxValue)]
    public int? BootCpuId { get; set; }

    [Parameter(ParameterSetName = "Default", HelpMessage = DirtyRingHelp)]
    [Parameter(ParameterSetName = "MachineType", HelpMessage = DirtyRingHelp)]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong? DirtyRingSize { get; set; }

    [Parameter(ParameterSetName = "S390UserControlled", Mandatory = true, HelpMessage = "s390 only: create a user-controlled VM (KVM_VM_S390_UCONTROL), whose guest memory is mapped per vCPU with Add-KvmS390Mapping. Needs CAP_SYS_ADMIN.")]
    public SwitchParameter S390UserControlled { get; set; }

    protected override void EndProcessing() => TryOrStop(null, () =>
    {
        if (ShouldProcess(Session.DevicePath, S390UserControlled ? "Create a user-controlled s390 VM" : $"Create a VM of machine type {MachineType}"))
        {
            WriteObject(S390UserControlled.IsPresent
                ? Kvm.S390.S390UserControlledVm.Create(Session)
                : KvmPS.Boot.PcMachine.Create(Session, MachineType, Memory, Smp, IdentityMapAddress, BootCpuId, DirtyRingSize));
        }
    });
}
