using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Set, "KvmCpuid", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmCpuid.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVcpu))]
public sealed class SetKvmCpuidCommand : KvmCmdlet
{
    private readonly List<CpuidEntry> _entries = [];

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The vCPU whose CPUID table to replace.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(ValueFromPipeline = true, HelpMessage = "The whole table, as Get-KvmSupportedCpuid or Get-KvmCpuid return it. The host's table shaped for this vCPU when omitted.")]
    public CpuidEntry[]? Entry { get; set; }

    [Parameter(HelpMessage = "How many vCPUs the guest is told it has when -Entry is omitted; the VM's vCPU count when omitted.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int? CpuCount { get; set; }

    [Parameter(HelpMessage = "Use the legacy KVM_SET_CPUID, whose entries have no subleaf index or flags: given entries must all have index 0; the host's table is reduced to its index-0 entries.")]
    public SwitchParameter Legacy { get; set; }

    [Parameter(HelpMessage = "Write the vCPU to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (Entry is not null)
        {
            _entries.AddRange(Entry);
        }
    }

    protected override void EndProcessing() => Try(Vcpu, () =>
    {
        bool given = MyInvocation.BoundParameters.ContainsKey(nameof(Entry)) || _entries.Count > 0;
        string what = (given ? $"Set CPUID to {_entries.Count} entries" : "Set CPUID to the host's supported CPUID for this vCPU") + (Legacy ? " (legacy KVM_SET_CPUID)" : "");
        if (ShouldProcess(Vcpu.ToString(), what))
        {
            if (Legacy)
            {
                X86Cpuid.SetLegacy(Vcpu, given ? _entries : X86Cpuid.ForVcpu(X86Cpuid.GetSupported(Vcpu.Vm.System), Vcpu.Id,
                    CpuCount ?? Math.Max(Vcpu.Vm.Vcpus.Count, Vcpu.Id + 1)).Where(e => e.Index == 0).ToArray());
            }
            else if (given)
            {
                X86Cpuid.Set(Vcpu, _entries);
            }
            else
            {
                X86Cpuid.SetHostCpuid(Vcpu, CpuCount);
            }
        }
        if (PassThru)
        {
            WriteObject(Vcpu);
        }
    });
}
