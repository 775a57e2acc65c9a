using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Engine;

[Cmdlet(VerbsLifecycle.Wait, "KvmVm", HelpUri = HelpLinks.CmdletsRoot + "Wait-KvmVm.md")]
[OutputType(typeof(KvmVm))]
public sealed class WaitKvmVmCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM to wait for until it halts, stops or fails.")]
    public KvmVm[] Vm { get; set; } = [];

    [Parameter(HelpMessage = "Give up after this many seconds (an error per VM still running); without it, wait until the VM ends or Ctrl+C.")]
    [ValidateRange(0, 31536000)]
    public double? TimeoutSeconds { get; set; }

    protected override void ProcessRecord()
    {
        DateTime? deadline = TimeoutSeconds is double seconds ? DateTime.UtcNow + TimeSpan.FromSeconds(seconds) : null;
        foreach (KvmVm vm in Vm)
        {
            Try(vm, () =>
            {
                if (vm.Runner.WaitUntil(deadline, PollSlice, () => Stopping))
                {
                    WriteObject(vm);
                }
            });
        }
    }
}
