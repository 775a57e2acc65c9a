using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsLifecycle.Unregister, "VfioMemory", HelpUri = HelpLinks.CmdletsRoot + "Unregister-VfioMemory.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Registration")]
[OutputType(typeof(void))]
public sealed class UnregisterVfioMemoryCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Registration",
        HelpMessage = "The registration to undo (from Register-VfioMemory or the container's MemoryRegistrations).")]
    public VfioMemoryRegistration[] Registration { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "Range", HelpMessage = "The container the range was registered with.")]
    public VfioContainer Container { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = "Range", HelpMessage = "Start of the registered range; exactly as registered.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong HostAddress { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Range", HelpMessage = "Size of the registered range; exactly as registered.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Size { get; set; }

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Range")
        {
            Try(HostAddress, () =>
            {
                if (ShouldChange($"0x{HostAddress:X}+0x{Size:X} of {Container}", "Unregister", Force))
                {
                    Container.UnregisterMemory(HostAddress, Size);
                }
            });
            return;
        }
        foreach (VfioMemoryRegistration registration in Registration)
        {
            Try(registration, () =>
            {
                if (ShouldChange(registration.ToString(), "Unregister", Force))
                {
                    registration.Container.UnregisterMemory(registration);
                }
            });
        }
    }
}
