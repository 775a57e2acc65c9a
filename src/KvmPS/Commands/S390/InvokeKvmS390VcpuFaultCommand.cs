using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.S390;

namespace KvmPS.Commands.S390;

[Cmdlet(VerbsLifecycle.Invoke, "KvmS390VcpuFault", HelpUri = HelpLinks.CmdletsRoot + "Invoke-KvmS390VcpuFault.md", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class InvokeKvmS390VcpuFaultCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The s390 vCPU whose address space gets the page-table entry.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The guest absolute address to fault in (e.g. the lowcore at 0 before KVM_RUN).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong GuestAddress { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), $"Fault in guest address 0x{GuestAddress:X}"))
        {
            S390Mappings.Fault(Vcpu, GuestAddress);
        }
    });
}
