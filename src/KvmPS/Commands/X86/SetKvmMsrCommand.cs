using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Set, "KvmMsr", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmMsr.md", SupportsShouldProcess = true, DefaultParameterSetName = "Index")]
[OutputType(typeof(KvmVcpu))]
public sealed class SetKvmMsrCommand : KvmCmdlet
{
    private readonly List<(uint Index, ulong Value)> _values = [];

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The vCPU whose MSRs to set.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(ParameterSetName = "Index", Mandatory = true, Position = 1, HelpMessage = "The number of the MSR to set.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Index { get; set; }

    [Parameter(ParameterSetName = "Name", Mandatory = true, HelpMessage = "The name of the MSR to set (IA32_EFER, LSTAR, TSC_AUX, ...).")]
    [ArgumentCompleter(typeof(MsrNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(ParameterSetName = "Index", Mandatory = true, Position = 2, HelpMessage = "The value to write.")]
    [Parameter(ParameterSetName = "Name", Mandatory = true, Position = 2, HelpMessage = "The value to write.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Value { get; set; }

    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true, HelpMessage = "MSR rows as Get-KvmMsr returns them (Index and Value), all set in one KVM_SET_MSRS.")]
    public MsrValue[] InputObject { get; set; } = [];

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        switch (ParameterSetName)
        {
            case "InputObject": _values.AddRange(InputObject.Select(m => (m.Index, m.Value))); break;
            case "Name": _values.Add((MsrNames.IndexOf(Name), Value)); break;
            default: _values.Add((Index, Value)); break;
        }
    });

    protected override void EndProcessing() => Try(Vcpu, () =>
    {
        string what = string.Join(", ", _values.Select(v => $"{MsrNames.NameOf(v.Index) ?? $"0x{v.Index:X}"} = 0x{v.Value:X}"));
        if (_values.Count > 0 && ShouldProcess(Vcpu.ToString(), $"Set MSR {what}"))
        {
            X86Msrs.Set(Vcpu, _values);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
