using System.Collections;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.PowerShell;

/// <summary>Ids of the session's VMs.</summary>
internal sealed class VmIdCompleter : CandidateCompleter
{
    protected override IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters) =>
        KvmSession.Default.Vms.Select(v => (v.Id.ToString(), v.ToString()));
}

/// <summary>Ids of the vCPUs of the VM bound to -Vm, or of every VM of the session.</summary>
internal sealed class VcpuIdCompleter : CandidateCompleter
{
    protected override IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters)
    {
        KvmVm? vm = Completion.Bound<KvmVm>(fakeBoundParameters, "Vm");
        IEnumerable<KvmVcpu> vcpus = vm is not null ? vm.Vcpus : KvmSession.Default.Vms.SelectMany(v => v.Vcpus);
        return vcpus.Select(v => (v.Id.ToString(), v.ToString()));
    }
}

/// <summary>Ids of the session's open VFIO containers.</summary>
internal sealed class VfioContainerIdCompleter : CandidateCompleter
{
    protected override IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters) =>
        VfioSession.Default.Containers.Select(c => (c.Id.ToString(), c.ToString()));
}

/// <summary>Ids of this host's IOMMU groups (sysfs) and of the groups of open containers.</summary>
internal sealed class IommuGroupIdCompleter : CandidateCompleter
{
    protected override IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters)
    {
        IEnumerable<(string, string)> host;
        try
        {
            host = VfioSession.Default.IommuGroups.List().Select(g => (g.Id.ToString(), g.ToString())).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            host = [];
        }
        return VfioSession.Default.Containers.SelectMany(c => c.Groups).Select(g => (g.Id.ToString(), g.ToString())).Concat(host);
    }
}
