using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Get, "VfioDevice", HelpUri = HelpLinks.CmdletsRoot + "Get-VfioDevice.md")]
[OutputType(typeof(VfioDevice))]
public sealed class GetVfioDeviceCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "The group whose devices to open; its container's IOMMU type must be set.")]
    public VfioGroup Group { get; set; } = null!;

    [Parameter(Position = 0, HelpMessage = "Device names (PCI addresses such as 0000:01:00.0); every device sysfs lists for the group when omitted.")]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        IReadOnlyList<string> names = Name ?? Group.DeviceNames;
        if (names.Count == 0)
        {
            WriteObject(Group.Devices, enumerateCollection: true);
            return;
        }
        foreach (string name in names)
        {
            Try(name, () => WriteObject(Group.OpenDevice(name)));
        }
    }
}
