using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.New, "KvmPit", HelpUri = HelpLinks.CmdletsRoot + "New-KvmPit.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class NewKvmPitCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM to give an in-kernel PIT.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(HelpMessage = "Emulate port 0x61 as a silent PC speaker (KVM_PIT_SPEAKER_DUMMY).")]
    public SwitchParameter SpeakerDummy { get; set; }

    [Parameter(HelpMessage = "Write the VM to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), "Create the in-kernel PIT (KVM_CREATE_PIT2)"))
        {
            Vm.CreatePit2(SpeakerDummy.IsPresent);
        }
        if (PassThru)
        {
            WriteObject(Vm);
        }
    });
}
