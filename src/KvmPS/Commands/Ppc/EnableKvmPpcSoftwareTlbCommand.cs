using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

[Cmdlet(VerbsLifecycle.Enable, "KvmPpcSoftwareTlb", HelpUri = HelpLinks.CmdletsRoot + "Enable-KvmPpcSoftwareTlb.md", SupportsShouldProcess = true)]
[OutputType(typeof(PpcSoftwareTlb))]
public sealed class EnableKvmPpcSoftwareTlbCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The vCPU whose TLB to share with userspace (KVM_CAP_SW_TLB).")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, HelpMessage = "Entries of TLB0 and TLB1 (and TLB2, TLB3, which must be 0).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint[] TlbSize { get; set; } = [];

    [Parameter(Mandatory = true, HelpMessage = "Ways of TLB0 (a power of two, 2..16) and TLB1 (equal to its size).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint[] TlbWays { get; set; } = [];

    [Parameter(HelpMessage = "The Freescale Book E MMU type: FslBookeNoHv (default) or FslBookeHv.")]
    public PpcMmuType MmuType { get; set; } = PpcMmuType.FslBookeNoHv;

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), "Enable KVM_CAP_SW_TLB"))
        {
            WriteObject(PpcSoftwareTlb.Enable(Vcpu, MmuType, TlbSize, TlbWays));
        }
    });
}
