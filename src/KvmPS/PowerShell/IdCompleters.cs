using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.PowerShell;

/// <summary>Ids of the session's VMs.</summary>
public sealed class VmIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Matching(wordToComplete, KvmSession.Default.Vms.Select(v => (v.Id.ToString(), v.ToString())));
}

/// <summary>Ids of the vCPUs of the VMs bound to -Vm, or of every VM of the session.</summary>
public sealed class VcpuIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        KvmVm? vm = Completion.Bound<KvmVm>(fakeBoundParameters, "Vm");
        IEnumerable<KvmVcpu> vcpus = vm is not null ? vm.Vcpus : KvmSession.Default.Vms.SelectMany(v => v.Vcpus);
        return Completion.Matching(wordToComplete, vcpus.Select(v => (v.Id.ToString(), v.ToString())));
    }
}

/// <summary>Ids of the session's open VFIO containers.</summary>
public sealed class VfioContainerIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completion.Matching(wordToComplete, VfioSession.Default.Containers.Select(c => (c.Id.ToString(), c.ToString())));
}

/// <summary>Ids of this host's IOMMU groups (sysfs), for opening a group; the groups of bound containers when listing.</summary>
public sealed class IommuGroupIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IEnumerable<(string, string)> groups;
        try
        {
            groups = VfioSession.Default.IommuGroups.List().Select(g => (g.Id.ToString(), g.ToString()));
        }
        catch (IOException)
        {
            groups = [];
        }
        catch (UnauthorizedAccessException)
        {
            groups = [];
        }
        IEnumerable<(string, string)> open = VfioSession.Default.Containers.SelectMany(c => c.Groups).Select(g => (g.Id.ToString(), g.ToString()));
        return Completion.Matching(wordToComplete, open.Concat(groups));
    }
}
