using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsCommon.Get, "KvmSpaprTce", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmSpaprTce.md")]
[OutputType(typeof(SpaprTceTable))]
public sealed class GetKvmSpaprTceCommand : KvmCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose TCE tables to list; every VM of the session when omitted.")]
    public KvmVm[]? Vm { get; set; }

    [Parameter(HelpMessage = "Only the tables of these LIOBNs.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong[]? Liobn { get; set; }

    protected override void ProcessRecord()
    {
        foreach (KvmVm? vm in Vm ?? Session.Vms.ToArray())
        {
            Try(vm, () => WriteObject((vm ?? throw InputErrors.Null("An element of -Vm", "VM objects from New-KvmVm or Get-KvmVm"))
                .Dependents<SpaprTceTable>().Where(t => Liobn is null || Liobn.Contains(t.Liobn)), enumerateCollection: true));
        }
    }
}
