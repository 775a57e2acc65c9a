using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmVcpu", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmVcpu.md")]
[OutputType(typeof(KvmVcpu))]
public sealed class GetKvmVcpuCommand : KvmCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose vCPUs to list; every VM of the session when omitted.")]
    public KvmVm[]? Vm { get; set; }

    [Parameter(HelpMessage = "Only the vCPUs with these ids.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(VcpuIdCompleter))]
    public int[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        foreach (KvmVm vm in Vm ?? Session.Vms.ToArray())
        {
            WriteObject(vm.Vcpus.Where(v => Id is null || Id.Contains(v.Id)), enumerateCollection: true);
        }
    }
}
