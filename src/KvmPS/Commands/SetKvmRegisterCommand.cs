using System.Collections;
using System.Management.Automation;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Set, "KvmRegister", DefaultParameterSetName = "One", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SetKvmRegisterCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose registers to set.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "One", HelpMessage = "The register name, as Get-KvmRegister shows it.")]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 2, ParameterSetName = "One", HelpMessage = "The new value.")]
    public ulong Value { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Many", HelpMessage = "Several registers at once, as a hashtable of name = value.")]
    public Hashtable Values { get; set; } = [];

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        KeyValuePair<string, ulong>[] values = ParameterSetName == "One"
            ? [new(Name, Value)]
            : Values.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, ulong>(
                LanguagePrimitives.ConvertTo<string>(e.Key),
                LanguagePrimitives.ConvertTo<ulong>(e.Value ?? throw InputErrors.Null($"The value of '{e.Key}' in -Values", "a number for each register")))).ToArray();
        if (ShouldProcess(Vcpu.ToString(), $"Set {string.Join(", ", values.Select(v => $"{v.Key}=0x{v.Value:X}"))}"))
        {
            Vcpu.SetRegisters(values);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
