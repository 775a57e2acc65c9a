using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands;

[Cmdlet(VerbsLifecycle.Register, "KvmCoalescedMmio", HelpUri = HelpLinks.CmdletsRoot + "Register-KvmCoalescedMmio.md", SupportsShouldProcess = true)]
[OutputType(typeof(CoalescedMmioZone))]
public sealed class RegisterKvmCoalescedMmioCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose guest writes to the zone KVM should record instead of exiting.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The first guest-physical address (or port, with -Pio) of the zone.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong GuestAddress { get; set; }

    [Parameter(Mandatory = true, Position = 2, HelpMessage = "The zone's size in bytes (or ports, with -Pio).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Size { get; set; }

    [Parameter(HelpMessage = "Coalesce port I/O writes (OUT) instead of MMIO writes; needs KVM_CAP_COALESCED_PIO.")]
    public SwitchParameter Pio { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Coalesce {(Pio ? "port" : "MMIO")} writes to 0x{GuestAddress:X} (+0x{Size:X}) (KVM_REGISTER_COALESCED_MMIO)"))
        {
            WriteObject(VmCoalescedMmio.Register(Vm, GuestAddress, Size, Pio.IsPresent));
        }
    });
}
