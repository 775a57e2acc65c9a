using System.Management.Automation;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Remove, "KvmVm", SupportsShouldProcess = true, DefaultParameterSetName = "Vm")]
[OutputType(typeof(void))]
public sealed class RemoveKvmVmCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Vm",
        HelpMessage = "The VM to remove; its vCPUs, memory and devices are released.")]
    public KvmVm[] Vm { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "Id", HelpMessage = "Ids of the VMs to remove.")]
    public int[] Id { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (object key in ParameterSetName == "Id" ? Id.Cast<object>() : Vm)
        {
            Try(key, () =>
            {
                KvmVm vm = key as KvmVm ?? Session.GetVm((int)key);
                if (ShouldProcess(vm.ToString(), "Remove"))
                {
                    Session.RemoveVm(vm);
                }
            });
        }
    }
}
