using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Ppc;

namespace KvmPS.Commands.Ppc;

/// <summary>Initialize, not New: the ioctl allocates the VM's one hash table or, at the same order, zeroes it.</summary>
[Cmdlet(VerbsData.Initialize, "KvmPpcHashTable", HelpUri = HelpLinks.CmdletsRoot + "Initialize-KvmPpcHashTable.md", SupportsShouldProcess = true)]
[OutputType(typeof(PpcHashTable))]
public sealed class InitializeKvmPpcHashTableCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose MMU hash table to allocate or reset; none of its vCPUs may be running.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "Log2 of the table size in bytes, 18 (256 KiB) to 46.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public int Order { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Allocate or clear a 2^{Order}-byte hash table"))
        {
            WriteObject(PpcVm.AllocateHashTable(Vm, Order));
        }
    });
}
