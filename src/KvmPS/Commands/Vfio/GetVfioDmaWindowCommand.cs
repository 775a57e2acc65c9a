using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Get, "VfioDmaWindow", HelpUri = HelpLinks.CmdletsRoot + "Get-VfioDmaWindow.md")]
[OutputType(typeof(VfioDmaWindow))]
public sealed class GetVfioDmaWindowCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The sPAPR container whose DMA windows to list.")]
    public VfioContainer Container { get; set; } = null!;

    protected override void ProcessRecord() => WriteObject(Container.DmaWindows, enumerateCollection: true);
}
