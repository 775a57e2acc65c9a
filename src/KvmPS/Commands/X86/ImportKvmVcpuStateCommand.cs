using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsData.Import, "KvmVcpuState", HelpUri = HelpLinks.CmdletsRoot + "Import-KvmVcpuState.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class ImportKvmVcpuStateCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The vCPU to restore the state into.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "A file Export-KvmVcpuState wrote.")]
    public string Path { get; set; } = "";

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(Vcpu.ToString(), $"Restore the vCPU state saved in {path}"))
        {
            VcpuStateSnapshot.Import(Vcpu, path);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
