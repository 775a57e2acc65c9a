using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommunications.Send, "KvmMsi", HelpUri = HelpLinks.CmdletsRoot + "Send-KvmMsi.md", SupportsShouldProcess = true)]
[OutputType(typeof(MsiResult))]
public sealed class SendKvmMsiCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose in-kernel interrupt controller receives the MSI.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The MSI address; on x86 0xfee00000 with the destination APIC id in bits 12-19.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Address { get; set; }

    [Parameter(Mandatory = true, Position = 2, HelpMessage = "The MSI data; on x86 the vector in bits 0-7 and the delivery mode in bits 8-10.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Data { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Signal an MSI to 0x{Address:X} with data 0x{Data:X} (KVM_SIGNAL_MSI)"))
        {
            WriteObject(VmMsi.Signal(Vm, Address, Data));
        }
    });
}
