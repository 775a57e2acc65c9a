using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmTranslation", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmTranslation.md")]
[OutputType(typeof(GuestAddressTranslation))]
public sealed class GetKvmTranslationCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose page tables translate the addresses.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The guest linear (virtual) addresses to translate.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong[] Address { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (ulong address in Address)
        {
            Try(Vcpu, () => WriteObject(VcpuTranslation.Translate(Vcpu, address)));
        }
    }
}
