using System.Collections;
using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Set, "KvmRegister", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmRegister.md", DefaultParameterSetName = "One", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SetKvmRegisterCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose registers to set.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "One", HelpMessage = "The register name, as Get-KvmRegister shows it.")]
    [ArgumentCompleter(typeof(RegisterNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 2, ParameterSetName = "One", HelpMessage = "The new value.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
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
                LanguagePrimitives.ConvertTo<string>(e.Key), ValueOf(e))).ToArray();
        if (ShouldProcess(Vcpu.ToString(), $"Set {string.Join(", ", values.Select(v => $"{v.Key}=0x{v.Value:X}"))}"))
        {
            Vcpu.SetRegisters(values);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });

    private static ulong ValueOf(DictionaryEntry entry)
    {
        if (entry.Value is null)
        {
            throw InputErrors.Null($"The value of '{entry.Key}' in -Values", "a number for each register");
        }
        try
        {
            return NumberParser.ToUInt64(entry.Value);
        }
        catch (Exception e) when (e is ArgumentException or PSInvalidCastException)
        {
            throw new ArgumentException($"-Values: the value of '{entry.Key}' is not a register value: {e.Message}", e);
        }
    }
}
