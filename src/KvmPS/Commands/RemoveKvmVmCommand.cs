using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.Remove, "KvmVm", HelpUri = HelpLinks.CmdletsRoot + "Remove-KvmVm.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "Vm")]
[OutputType(typeof(KvmVm))]
public sealed class RemoveKvmVmCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Vm",
        HelpMessage = "The VM to remove; its vCPUs, memory and devices are released.")]
    public KvmVm[] Vm { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "Id", HelpMessage = "Ids of the VMs to remove.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(VmIdCompleter))]
    public int[] Id { get; set; } = [];

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    [Parameter(HelpMessage = "Write each removed VM to the pipeline (it then reports IsDisposed).")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (object key in ParameterSetName == "Id" ? Id.Cast<object>() : Vm)
        {
            Try(key, () =>
            {
                KvmVm vm = key as KvmVm ?? Session.GetVm((int)key);
                if (ShouldChange(vm.ToString(), "Remove", Force))
                {
                    Session.RemoveVm(vm);
                    if (PassThru)
                    {
                        WriteObject(vm);
                    }
                }
            });
        }
    }
}
