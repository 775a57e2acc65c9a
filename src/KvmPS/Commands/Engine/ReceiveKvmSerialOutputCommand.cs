using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Engine;

[Cmdlet(VerbsCommunications.Receive, "KvmSerialOutput", HelpUri = HelpLinks.CmdletsRoot + "Receive-KvmSerialOutput.md")]
[OutputType(typeof(string))]
public sealed class ReceiveKvmSerialOutputCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose serial output to receive.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(HelpMessage = "The serial port's first port; the VM's first serial port when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ushort? Port { get; set; }

    [Parameter(HelpMessage = "Return everything the guest wrote, not only what arrived since the last receive.")]
    public SwitchParameter All { get; set; }

    [Parameter(HelpMessage = "Write each line as it arrives, until the VM stops running or Ctrl+C.")]
    public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        var output = Vm.Runner.SerialPort(Port).Output;
        if (!Wait)
        {
            WriteObject(All ? output.All : output.Take());
            return;
        }
        foreach (string line in output.StreamLines(() => Vm.State != RunState.Running, PollSlice, () => Stopping))
        {
            WriteObject(line);
        }
    });
}
