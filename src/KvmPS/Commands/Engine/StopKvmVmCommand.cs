using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Engine;

[Cmdlet(VerbsLifecycle.Stop, "KvmVm", HelpUri = HelpLinks.CmdletsRoot + "Stop-KvmVm.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class StopKvmVmCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM to stop; every vCPU is kicked out of the guest.")]
    public KvmVm[] Vm { get; set; } = [];

    [Parameter(HelpMessage = "Write each stopped VM to the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (KvmVm vm in Vm)
        {
            Try(vm, () =>
            {
                if (ShouldProcess(vm.ToString(), "Stop"))
                {
                    vm.Runner.StopAndWait();
                    if (PassThru)
                    {
                        WriteObject(vm);
                    }
                }
            });
        }
    }
}
