using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Registers;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmRegister", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmRegister.md")]
[OutputType(typeof(KvmRegister))]
public sealed class GetKvmRegisterCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose registers to read.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Position = 1, HelpMessage = "Register names as the kernel's struct names them (rip, cs.base); wildcards allowed. All when omitted.")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RegisterNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(HelpMessage = "General (KVM_GET_REGS), Special (KVM_GET_SREGS), or both when omitted.")]
    public RegisterBank[]? Bank { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () => WriteObject(Vcpu.QueryRegisters(Bank, Name), enumerateCollection: true));
}
