using System.Management.Automation;
using KvmPS.Devices;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Engine;

[Cmdlet(VerbsCommon.Add, "KvmDebugExit", HelpUri = HelpLinks.CmdletsRoot + "Add-KvmDebugExit.md", SupportsShouldProcess = true)]
[OutputType(typeof(DebugExit))]
public sealed class AddKvmDebugExitCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM to attach the debug-exit device to.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(HelpMessage = "The device's port; 0xf4 when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ushort Port { get; set; } = DebugExit.DefaultPort;

    [Parameter(HelpMessage = "The port's width in bytes: 1, 2 or 4 (the default).")]
    [ValidateSet("1", "2", "4")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int Width { get; set; } = DebugExit.DefaultWidth;

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Add a debug-exit device at port 0x{Port:x}, {Width} bytes wide"))
        {
            WriteObject(Vm.Runner.AddDebugExit(Port, Width));
        }
    });
}
