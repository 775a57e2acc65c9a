using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Reset, "VfioDevice", HelpUri = HelpLinks.CmdletsRoot + "Reset-VfioDevice.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(VfioDevice))]
public sealed class ResetVfioDeviceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The device to reset (VFIO_DEVICE_RESET).")]
    public VfioDevice[] Device { get; set; } = [];

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    [Parameter(HelpMessage = "Write each device to the pipeline after its reset.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (VfioDevice device in Device)
        {
            Try(device, () =>
            {
                if (ShouldChange(device.ToString(), "Reset", Force))
                {
                    device.Reset();
                    if (PassThru)
                    {
                        WriteObject(device);
                    }
                }
            });
        }
    }
}
