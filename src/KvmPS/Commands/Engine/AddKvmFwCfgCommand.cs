using System.Management.Automation;
using KvmPS.Devices;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Engine;

[Cmdlet(VerbsCommon.Add, "KvmFwCfg", HelpUri = HelpLinks.CmdletsRoot + "Add-KvmFwCfg.md", SupportsShouldProcess = true)]
[OutputType(typeof(FwCfg))]
public sealed class AddKvmFwCfgCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM to attach the fw_cfg device (ports 0x510-0x511) to.")]
    public KvmVm Vm { get; set; } = null!;

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), "Add a fw_cfg device at ports 0x510-0x511"))
        {
            WriteObject(Vm.Runner.AddFwCfg());
        }
    });
}
