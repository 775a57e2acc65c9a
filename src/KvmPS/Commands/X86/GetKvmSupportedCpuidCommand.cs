using System.Management.Automation;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmSupportedCpuid", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmSupportedCpuid.md")]
[OutputType(typeof(CpuidEntry))]
public sealed class GetKvmSupportedCpuidCommand : KvmCmdlet
{
    [Parameter(Position = 0, HelpMessage = "Only these CPUID leaves (EAX inputs). All when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint[]? Function { get; set; }

    protected override void ProcessRecord() => TryOrStop(null, () =>
        WriteObject(X86Cpuid.Select(X86Cpuid.GetSupported(Session.System), Function), enumerateCollection: true));
}
