using System.Management.Automation;
using KvmPS.Interop;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Get, "KvmVcpu", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmVcpu.md")]
[OutputType(typeof(KvmVcpu))]
public sealed class GetKvmVcpuCommand : KvmCmdlet
{
    private readonly HashSet<int> _found = [];
    private readonly List<int> _searchedVms = [];

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose vCPUs to list; every VM of the session when omitted.")]
    public KvmVm[]? Vm { get; set; }

    [Parameter(HelpMessage = "Only the vCPUs with these ids.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(VcpuIdCompleter))]
    public int[]? Id { get; set; }

    protected override void ProcessRecord()
    {
        foreach (KvmVm? vm in Vm ?? Session.Vms.ToArray())
        {
            Try(vm, () =>
            {
                KvmVm checkedVm = vm ?? throw InputErrors.Null("An element of -Vm", "VM objects from New-KvmVm or Get-KvmVm");
                _searchedVms.Add(checkedVm.Id);
                KvmVcpu[] vcpus = checkedVm.Vcpus.Where(v => Id is null || Id.Contains(v.Id)).ToArray();
                _found.UnionWith(vcpus.Select(v => v.Id));
                WriteObject(vcpus, enumerateCollection: true);
            });
        }
    }

    /// <summary>Like Get-KvmVm -Id: an id that none of the searched VMs has is an error.</summary>
    protected override void EndProcessing()
    {
        foreach (int id in (Id ?? []).Distinct().Where(i => !_found.Contains(i)))
        {
            string where = _searchedVms.Count == 0 ? "this session has no VMs" : $"searched VM {string.Join(", ", _searchedVms.Distinct())}";
            WriteError(ToErrorRecord(new KvmPSException("VcpuNotFound", ErrorKind.ObjectNotFound,
                $"No vCPU has id {id} ({where}). Get-KvmVcpu without -Id lists the vCPUs there are."), id));
        }
    }
}
