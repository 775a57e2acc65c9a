using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Get, "KvmMsr", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmMsr.md", DefaultParameterSetName = "Index")]
[OutputType(typeof(MsrValue))]
public sealed class GetKvmMsrCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose MSRs to read.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(ParameterSetName = "Index", Position = 1, HelpMessage = "The MSR numbers to read. Every MSR of Get-KvmMsrIndexList that reads when omitted.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint[]? Index { get; set; }

    [Parameter(ParameterSetName = "Name", Mandatory = true, HelpMessage = "The MSRs to read by name (IA32_EFER, LSTAR, TSC_AUX, ...).")]
    [ArgumentCompleter(typeof(MsrNameCompleter))]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        uint[]? indices = ParameterSetName == "Name" ? Name.Select(MsrNames.IndexOf).ToArray() : Index;
        WriteObject(X86Msrs.Get(Vcpu, indices, strict: indices is { Length: > 0 }), enumerateCollection: true);
    });
}
