using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommon.New, "KvmGuestMemfd", HelpUri = HelpLinks.CmdletsRoot + "New-KvmGuestMemfd.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmGuestMemfd))]
public sealed class NewKvmGuestMemfdCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM the guest_memfd is bound to.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "Size in bytes; a non-zero multiple of the page size.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Size { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Create a {Size}-byte guest_memfd (KVM_CREATE_GUEST_MEMFD)"))
        {
            WriteObject(KvmGuestMemfd.Create(Vm, Size));
        }
    });
}
