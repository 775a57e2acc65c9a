using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands;

[Cmdlet(VerbsLifecycle.Enable, "KvmCapability", HelpUri = HelpLinks.CmdletsRoot + "Enable-KvmCapability.md", DefaultParameterSetName = "Vm",
    SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm), typeof(KvmVcpu))]
public sealed class EnableKvmCapabilityCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "Vm", ValueFromPipeline = true, HelpMessage = "The VM to enable the capability on (KVM_ENABLE_CAP on the VM descriptor).")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = "Vcpu", ValueFromPipeline = true, HelpMessage = "The vCPU to enable the capability on (KVM_ENABLE_CAP on the vCPU descriptor).")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The capability, e.g. HaltPoll or KVM_CAP_HALT_POLL.")]
    [ArgumentCompleter(typeof(CapabilityNameCompleter))]
    public string Name { get; set; } = "";

    [Parameter(Position = 1, HelpMessage = "Up to four arguments (kvm_enable_cap.args), as the capability's documentation gives them.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    [ValidateCount(0, 4)]
    public ulong[] Argument { get; set; } = [];

    [Parameter(HelpMessage = "kvm_enable_cap.flags; 0 unless the capability's documentation says otherwise.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Flags { get; set; }

    [Parameter(HelpMessage = "Write the VM or vCPU to the pipeline after enabling the capability.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        object target = ParameterSetName == "Vm" ? Vm : Vcpu;
        Try(target, () =>
        {
            KvmCapability capability = KvmCapabilities.Parse(Name);
            if (!ShouldProcess(target.ToString()!, $"Enable {KvmNames.KernelName(capability)} ({string.Join(", ", Argument)})"))
            {
                return;
            }
            if (ParameterSetName == "Vm")
            {
                Vm.EnableCapability(capability, Argument, Flags);
            }
            else
            {
                Vcpu.EnableCapability(capability, Argument, Flags);
            }
            if (PassThru)
            {
                WriteObject(target);
            }
        });
    }
}
