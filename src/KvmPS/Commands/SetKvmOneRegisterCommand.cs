using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.Registers;
using KvmPS.PowerShell;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Set, "KvmOneRegister", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmOneRegister.md", DefaultParameterSetName = "Value",
    SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SetKvmOneRegisterCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose register to set.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The ONE_REG register id; its size bits give the register's width.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Id { get; set; }

    [Parameter(Mandatory = true, Position = 2, ParameterSetName = "Value", HelpMessage = "The new value, for a register of up to 64 bits.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Value { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Bytes", HelpMessage = "The new value as the register's bytes in the host's byte order, for any width.")]
    public byte[] Bytes { get; set; } = [];

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        byte[] bytes = ParameterSetName == "Bytes" ? Bytes : OneRegisters.BytesOf(Id, Value);
        if (ShouldProcess(Vcpu.ToString(), $"Set register 0x{Id:X16} (KVM_SET_ONE_REG)"))
        {
            OneRegisters.Set(Vcpu, Id, bytes);
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
