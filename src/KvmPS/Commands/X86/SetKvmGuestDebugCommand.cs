using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Set, "KvmGuestDebug", DefaultParameterSetName = EnableSet, HelpUri = HelpLinks.CmdletsRoot + "Set-KvmGuestDebug.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SetKvmGuestDebugCommand : KvmCmdlet
{
    private const string EnableSet = "Enable";
    private const string DisableSet = "Disable";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU to debug.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(ParameterSetName = EnableSet, HelpMessage = "Exit with KVM_EXIT_DEBUG after every guest instruction.")]
    public SwitchParameter SingleStep { get; set; }

    [Parameter(ParameterSetName = EnableSet, HelpMessage = "Make the guest's INT3 instructions exit with KVM_EXIT_DEBUG instead of raising #BP in the guest.")]
    public SwitchParameter SoftwareBreakpoints { get; set; }

    [Parameter(ParameterSetName = EnableSet, HelpMessage = "Up to four guest linear addresses whose execution exits with KVM_EXIT_DEBUG (DR0-DR3).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong[]? HardwareBreakpoint { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DisableSet, HelpMessage = "Turn guest debugging off.")]
    public SwitchParameter Disable { get; set; }

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (Disable)
        {
            if (ShouldProcess(Vcpu.ToString(), "Turn guest debugging off (KVM_SET_GUEST_DEBUG)"))
            {
                VcpuGuestDebug.Disable(Vcpu);
            }
        }
        else
        {
            var what = new List<string>();
            if (SingleStep) { what.Add("single-step"); }
            if (SoftwareBreakpoints) { what.Add("software breakpoints"); }
            if (HardwareBreakpoint is { Length: > 0 }) { what.Add("hardware breakpoints at " + string.Join(", ", HardwareBreakpoint.Select(a => $"0x{a:X}"))); }
            if (ShouldProcess(Vcpu.ToString(), $"Enable guest debugging{(what.Count > 0 ? ": " + string.Join("; ", what) : "")} (KVM_SET_GUEST_DEBUG)"))
            {
                VcpuGuestDebug.Set(Vcpu, SingleStep, SoftwareBreakpoints, HardwareBreakpoint);
            }
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
