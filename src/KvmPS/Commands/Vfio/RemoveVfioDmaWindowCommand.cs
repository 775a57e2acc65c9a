using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsCommon.Remove, "VfioDmaWindow", HelpUri = HelpLinks.CmdletsRoot + "Remove-VfioDmaWindow.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Window")]
[OutputType(typeof(void))]
public sealed class RemoveVfioDmaWindowCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Window",
        HelpMessage = "The window to remove (from New-VfioDmaWindow or Get-VfioDmaWindow); the default window may be removed too.")]
    public VfioDmaWindow[] Window { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "Address", HelpMessage = "The container that holds the window.")]
    public VfioContainer Container { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = "Address", HelpMessage = "The window's start (bus) address, its id.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong StartAddress { get; set; }

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Address")
        {
            Try(StartAddress, () =>
            {
                if (ShouldChange($"DMA window at 0x{StartAddress:X} of {Container}", "Remove", Force))
                {
                    Container.RemoveDmaWindow(StartAddress);
                }
            });
            return;
        }
        foreach (VfioDmaWindow window in Window)
        {
            Try(window, () =>
            {
                if (ShouldChange(window.ToString(), "Remove", Force))
                {
                    window.Container.RemoveDmaWindow(window);
                }
            });
        }
    }
}
