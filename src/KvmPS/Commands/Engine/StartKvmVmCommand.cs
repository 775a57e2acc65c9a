using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Engine;

[Cmdlet(VerbsLifecycle.Start, "KvmVm", HelpUri = HelpLinks.CmdletsRoot + "Start-KvmVm.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class StartKvmVmCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM to start; each vCPU runs on its own thread with the VM's devices.")]
    public KvmVm[] Vm { get; set; } = [];

    [Parameter(HelpMessage = "Write each started VM to the pipeline.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (KvmVm vm in Vm)
        {
            Try(vm, () =>
            {
                if (ShouldProcess(vm.ToString(), "Start"))
                {
                    vm.Runner.Start();
                    if (PassThru)
                    {
                        WriteObject(vm);
                    }
                }
            });
        }
    }
}
