using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;

namespace KvmPS.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "KvmVcpu", HelpUri = HelpLinks.CmdletsRoot + "Invoke-KvmVcpu.md", SupportsShouldProcess = true)]
[OutputType(typeof(VcpuExit))]
public sealed class InvokeKvmVcpuCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU to run (one KVM_RUN).")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(HelpMessage = "Data for the guest's pending port or MMIO read (the previous exit), supplied before running.")]
    public byte[]? ReadData { get; set; }

    [Parameter(HelpMessage = "Return value for the pending hypercall exit, supplied before running.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong? HypercallReturn { get; set; }

    [Parameter(HelpMessage = "The value the guest's pending RDMSR reads (after a KVM_EXIT_X86_RDMSR exit), supplied before running.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong? MsrData { get; set; }

    [Parameter(HelpMessage = "Fail the guest's pending RDMSR or WRMSR (after a KVM_EXIT_X86_RDMSR/WRMSR exit) with #GP, before running.")]
    public SwitchParameter MsrError { get; set; }

    [Parameter(HelpMessage = "Run again after each exit until one of these kinds (Hlt, KVM_EXIT_IO, ...), writing every exit; stops early on an interrupted exit.")]
    [ArgumentCompleter(typeof(ExitReasonCompleter))]
    public string[]? Until { get; set; }

    [Parameter(HelpMessage = "Run at most this many times (KVM_RUN calls), writing every exit; 1 unless -Until is given.")]
    [ValidateRange(1, int.MaxValue)]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int? Count { get; set; }

    [Parameter(HelpMessage = "Stop waiting after this many seconds: the vCPU is kicked out of KVM_RUN and an interrupted exit (KVM_EXIT_INTR) is returned.")]
    [ValidateRange(0.001, 86400)]
    public double? TimeoutSeconds { get; set; }

    [Parameter(HelpMessage = "Have each KVM_RUN of the vCPU copy its registers into kvm_run at the exit (KVM_CAP_SYNC_REGS), so that Get-KvmRegister reads them without KVM_GET_REGS/KVM_GET_SREGS; stays on for the vCPU.")]
    public SwitchParameter SyncRegisters { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), "Run (KVM_RUN)"))
        {
            if (SyncRegisters)
            {
                Vcpu.SyncRegisters = true;
            }
            KvmExitReason[]? until = Until?.Select(KvmNames.ParseExitReason).ToArray();
            if (MsrData is not null || MsrError)
            {
                Vcpu.SetMsrResult(MsrData ?? 0, injectGp: MsrError);
            }
            foreach (VcpuExit exit in Vcpu.RunExits(Count ?? (until is null ? 1 : int.MaxValue), until, ReadData, HypercallReturn,
                TimeoutSeconds is double seconds ? TimeSpan.FromSeconds(seconds) : null, () => Stopping))
            {
                WriteObject(exit);
            }
        }
    });

    /// <summary>Ctrl+C: kick the vCPU out of KVM_RUN so the pipeline can stop.</summary>
    protected override void StopProcessing() => Vcpu?.Kick();
}
