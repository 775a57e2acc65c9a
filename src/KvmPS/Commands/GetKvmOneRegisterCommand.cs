using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.Registers;
using KvmPS.PowerShell;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmOneRegister", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmOneRegister.md", DefaultParameterSetName = "Id")]
[OutputType(typeof(KvmOneRegister))]
public sealed class GetKvmOneRegisterCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose registers to read.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Id", HelpMessage = "ONE_REG register ids (from Get-KvmRegisterList or the architecture's encoding).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong[] Id { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "Msr", HelpMessage = "x86 MSR indexes, read as ONE_REG ids of type KVM_X86_REG_TYPE_MSR.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint[] Msr { get; set; } = [];

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        IEnumerable<ulong> ids = ParameterSetName == "Msr" ? Msr.Select(OneRegisterId.X86Msr) : Id;
        foreach (ulong id in ids)
        {
            WriteObject(OneRegisters.Get(Vcpu, id));
        }
    });
}
