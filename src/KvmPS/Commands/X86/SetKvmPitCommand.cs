using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Set, "KvmPit", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmPit.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class SetKvmPitCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The VM whose in-kernel PIT state to write.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, HelpMessage = "The PIT state as Get-KvmPit returned it (changed through its Flags and Channels properties, or Raw).")]
    public PitState State { get; set; } = null!;

    [Parameter(HelpMessage = "Write the VM to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), "Set the in-kernel PIT state (KVM_SET_PIT2)"))
        {
            VmPit.Set(Vm, State);
        }
        if (PassThru)
        {
            WriteObject(Vm);
        }
    });
}
