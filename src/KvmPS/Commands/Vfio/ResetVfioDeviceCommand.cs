using System.Management.Automation;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Reset, "VfioDevice", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class ResetVfioDeviceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The device to reset (VFIO_DEVICE_RESET).")]
    public VfioDevice[] Device { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (VfioDevice device in Device)
        {
            Try(device, () =>
            {
                if (ShouldProcess(device.ToString(), "Reset"))
                {
                    device.Reset();
                }
            });
        }
    }
}
