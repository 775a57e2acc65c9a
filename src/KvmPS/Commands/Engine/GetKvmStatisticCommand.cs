using System.Management.Automation;
using KvmPS.Engine;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Engine;

[Cmdlet(VerbsCommon.Get, "KvmStatistic", HelpUri = HelpLinks.CmdletsRoot + "Get-KvmStatistic.md")]
[OutputType(typeof(VmStatistics))]
public sealed class GetKvmStatisticCommand : KvmCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, HelpMessage = "The VMs whose engine counters to get; every VM of the session when omitted.")]
    public KvmVm[]? Vm { get; set; }

    protected override void ProcessRecord()
    {
        foreach (KvmVm vm in Vm ?? Session.Vms.ToArray())
        {
            Try(vm, () => WriteObject(vm.Runner.Statistics()));
        }
    }
}
