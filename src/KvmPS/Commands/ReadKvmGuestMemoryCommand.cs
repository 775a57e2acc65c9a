using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommunications.Read, "KvmGuestMemory", HelpUri = HelpLinks.CmdletsRoot + "Read-KvmGuestMemory.md")]
[OutputType(typeof(byte[]))]
public sealed class ReadKvmGuestMemoryCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose guest memory to read.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "Guest physical address of the first byte; the whole range must lie in one memory region.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong GuestAddress { get; set; }

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "Number of bytes to read.")]
    [ValidateRange(0, int.MaxValue)]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int Length { get; set; }

    protected override void ProcessRecord() => Try(GuestAddress, () => WriteObject(Vm.ReadGuestMemory(GuestAddress, Length), enumerateCollection: false));
}
