using System.Management.Automation;
using KvmPS.Devices;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Engine;

[Cmdlet(VerbsCommon.Add, "KvmTestDevice", HelpUri = HelpLinks.CmdletsRoot + "Add-KvmTestDevice.md", SupportsShouldProcess = true)]
[OutputType(typeof(TestDevice))]
public sealed class AddKvmTestDeviceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM to attach the test device (scratch port 0xe0, IRQ ports 0x2000-0x2017) to.")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), "Add a test device at ports 0xe0-0xe3 and 0x2000-0x2017"))
        {
            WriteObject(Vm.Runner.AddTestDevice());
        }
    });
}
