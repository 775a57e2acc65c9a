using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsData.Export, "KvmVcpuState", HelpUri = HelpLinks.CmdletsRoot + "Export-KvmVcpuState.md", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportKvmVcpuStateCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose whole state to save.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The JSON file to write (replaced if it exists).")]
    public string Path { get; set; } = "";

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(path, $"Save the state of {Vcpu}"))
        {
            VcpuStateSnapshot.Export(Vcpu, path);
            WriteObject(new FileInfo(path));
        }
    });
}
