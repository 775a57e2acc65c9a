using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Set, "KvmVmState", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmVmState.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class SetKvmVmStateCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The VM to restore the state into.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, HelpMessage = "The state, as Get-KvmVmState returns it.")]
    public VmState State { get; set; } = null!;

    [Parameter(HelpMessage = "Write the VM to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Restore {State}"))
        {
            VmStateSnapshot.Restore(Vm, State);
        }
        if (PassThru)
        {
            WriteObject(Vm);
        }
    });
}
