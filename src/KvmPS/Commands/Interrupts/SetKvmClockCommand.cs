using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Interrupts;

[Cmdlet(VerbsCommon.Set, "KvmClock", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmClock.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class SetKvmClockCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose kvmclock to set.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The new kvmclock value in nanoseconds.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Clock { get; set; }

    [Parameter(HelpMessage = "Write the VM to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Set the kvmclock to {Clock} ns (KVM_SET_CLOCK)"))
        {
            VmClock.Set(Vm, Clock);
        }
        if (PassThru)
        {
            WriteObject(Vm);
        }
    });
}
