using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsData.Export, "KvmVmState", HelpUri = HelpLinks.CmdletsRoot + "Export-KvmVmState.md", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportKvmVmStateCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose irqchip, PIT and kvmclock state to save.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The JSON file to write (replaced if it exists).")]
    public string Path { get; set; } = "";

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(path, $"Save the VM-wide state of {Vm}"))
        {
            VmStateSnapshot.Export(Vm, path);
            WriteObject(new FileInfo(path));
        }
    });
}
