using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.New, "KvmIoeventfd", HelpUri = HelpLinks.CmdletsRoot + "New-KvmIoeventfd.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmIoeventfd))]
public sealed class NewKvmIoeventfdCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose guest writes the ioeventfd watches.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The guest physical MMIO address, or with -Pio the I/O port, to watch.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Address { get; set; }

    [Parameter(Mandatory = true, Position = 2, HelpMessage = "The width of the watched write in bytes: 1, 2, 4 or 8 (0: any width, without -DataMatch).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Length { get; set; }

    [Parameter(HelpMessage = "Watch an I/O port instead of an MMIO address (KVM_IOEVENTFD_FLAG_PIO).")]
    public SwitchParameter Pio { get; set; }

    [Parameter(HelpMessage = "Fire only on writes of this value (KVM_IOEVENTFD_FLAG_DATAMATCH); other writes exit to userspace as before.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong? DataMatch { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Attach an ioeventfd to {(Pio ? "port" : "MMIO address")} 0x{Address:X} (KVM_IOEVENTFD)"))
        {
            WriteObject(KvmIoeventfd.Assign(Vm, Address, Length, Pio.IsPresent, DataMatch));
        }
    });
}
