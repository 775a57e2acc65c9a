using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands;

[Cmdlet(VerbsLifecycle.Unregister, "KvmCoalescedMmio", HelpUri = HelpLinks.CmdletsRoot + "Unregister-KvmCoalescedMmio.md",
    SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class UnregisterKvmCoalescedMmioCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose coalesced zones to remove.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, HelpMessage = "The first guest-physical address (or port, with -Pio) of the range; every zone inside it is removed.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong GuestAddress { get; set; }

    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true, HelpMessage = "The range's size in bytes (or ports, with -Pio).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Size { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, HelpMessage = "Remove port I/O zones instead of MMIO zones.")]
    public SwitchParameter Pio { get; set; }

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldChange(Vm.ToString(), $"Stop coalescing {(Pio ? "port" : "MMIO")} writes to 0x{GuestAddress:X} (+0x{Size:X}) (KVM_UNREGISTER_COALESCED_MMIO)", Force))
        {
            VmCoalescedMmio.Unregister(Vm, GuestAddress, Size, Pio.IsPresent);
        }
    });
}
