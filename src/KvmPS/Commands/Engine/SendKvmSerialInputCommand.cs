using System.Management.Automation;
using System.Text;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Engine;

[Cmdlet(VerbsCommunications.Send, "KvmSerialInput", HelpUri = HelpLinks.CmdletsRoot + "Send-KvmSerialInput.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class SendKvmSerialInputCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The VM whose serial port receives the input.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, HelpMessage = "The text to queue for the guest (sent as UTF-8 bytes).")]
    [AllowEmptyString]
    public string Text { get; set; } = "";

    [Parameter(HelpMessage = "The serial port's first port; the VM's first serial port when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ushort? Port { get; set; }

    [Parameter(HelpMessage = "Write the VM to the pipeline after queueing the input.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        var uart = Vm.Runner.SerialPort(Port);
        if (ShouldProcess(uart.Name, $"Send {Encoding.UTF8.GetByteCount(Text)} bytes"))
        {
            uart.Inject(Encoding.UTF8.GetBytes(Text));
            if (PassThru)
            {
                WriteObject(Vm);
            }
        }
    });
}
