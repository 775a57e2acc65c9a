using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Set, "KvmMsrFilter", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmMsrFilter.md", SupportsShouldProcess = true,
    DefaultParameterSetName = "Deny")]
[OutputType(typeof(KvmVm))]
public sealed class SetKvmMsrFilterCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM whose MSR filter to replace.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Position = 1, ParameterSetName = "Deny", HelpMessage = "MSR indexes whose guest accesses (see -Access) are denied.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint[] Deny { get; set; } = [];

    [Parameter(ParameterSetName = "Deny", HelpMessage = "The accesses -Deny governs: Read, Write or ReadWrite (the default).")]
    public MsrFilterAccess Access { get; set; } = MsrFilterAccess.ReadWrite;

    [Parameter(Mandatory = true, ParameterSetName = "Ranges", HelpMessage = "Filter ranges (at most 16), each with its own allow bitmap.")]
    public MsrFilterRange[] Range { get; set; } = [];

    [Parameter(HelpMessage = "Deny every MSR access that no range allows (KVM_MSR_FILTER_DEFAULT_DENY).")]
    public SwitchParameter DefaultDeny { get; set; }

    [Parameter(HelpMessage = "Stop the vCPU with KVM_EXIT_X86_RDMSR/WRMSR on a denied access instead of injecting #GP (KVM_CAP_X86_USER_SPACE_MSR); answer with Invoke-KvmVcpu -MsrData or -MsrError.")]
    public SwitchParameter ExitToUserSpace { get; set; }

    [Parameter(HelpMessage = "Write the VM to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        MsrFilterRange[] ranges = ParameterSetName == "Ranges"
            ? Range
            : Deny.Select(index => new MsrFilterRange(index, 1, Access)).ToArray();
        string what = ranges.Length == 0 && !DefaultDeny ? "Clear the MSR filter" : $"Filter MSRs with {ranges.Length} range(s){(DefaultDeny ? ", denying the rest" : "")}";
        if (ShouldProcess(Vm.ToString(), $"{what} (KVM_X86_SET_MSR_FILTER)"))
        {
            if (ExitToUserSpace)
            {
                X86MsrFilter.ExitToUserSpace(Vm);
            }
            X86MsrFilter.Set(Vm, ranges, DefaultDeny);
        }
        if (PassThru)
        {
            WriteObject(Vm);
        }
    });
}
