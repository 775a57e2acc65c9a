using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsDiagnostic.Test, "KvmHost", HelpUri = HelpLinks.CmdletsRoot + "Test-KvmHost.md")]
[OutputType(typeof(HostCheckResult), typeof(bool))]
public sealed class TestKvmHostCommand : KvmCmdlet
{
    [Parameter(HelpMessage = "The KVM device node to check.")]
    public string DevicePath { get; set; } = KvmSystem.DefaultDevicePath;

    [Parameter(HelpMessage = "Return only $true when every check passed, $false otherwise.")]
    public SwitchParameter Quiet { get; set; }

    protected override void EndProcessing() => TryOrStop(DevicePath, () =>
    {
        IReadOnlyList<HostCheckResult> results = HostCheck.Run(Interop.KernelInterface.Host, GetUnresolvedProviderPathFromPSPath(DevicePath));
        WriteObject(Quiet ? HostCheck.AllPassed(results) : results, enumerateCollection: !Quiet);
    });
}
