using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsData.Import, "KvmVmState", HelpUri = HelpLinks.CmdletsRoot + "Import-KvmVmState.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class ImportKvmVmStateCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The VM to restore the state into (with the irqchip and PIT the saved VM had).")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "A file Export-KvmVmState wrote.")]
    public string Path { get; set; } = "";

    [Parameter(HelpMessage = "Write the VM to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(Vm.ToString(), $"Restore the VM-wide state saved in {path}"))
        {
            VmStateSnapshot.Import(Vm, path);
        }
        if (PassThru)
        {
            WriteObject(Vm);
        }
    });
}
