using System.Management.Automation;
using KvmPS.Devices;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Engine;

[Cmdlet(VerbsCommon.Add, "KvmSerialPort", HelpUri = HelpLinks.CmdletsRoot + "Add-KvmSerialPort.md", SupportsShouldProcess = true)]
[OutputType(typeof(Uart16550))]
public sealed class AddKvmSerialPortCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM to attach the 16550 UART to.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(HelpMessage = "The UART's first port (8 ports); 0x3f8 (COM1) when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ushort Port { get; set; } = Uart16550.Com1;

    [Parameter(HelpMessage = "The interrupt line (GSI) raised through KVM_IRQ_LINE when the VM has an in-kernel irqchip; 4 when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Irq { get; set; } = Uart16550.Com1Irq;

    [Parameter(HelpMessage = "A file the guest's output is also appended to.")]
    public string? Path { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Add a 16550 UART at port 0x{Port:x}, IRQ {Irq}"))
        {
            WriteObject(Vm.Runner.AddSerialPort(Port, Irq, Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path)));
        }
    });
}
