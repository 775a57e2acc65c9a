using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;

namespace KvmPS.Commands;

[Cmdlet(VerbsCommunications.Write, "KvmGuestMemory", HelpUri = HelpLinks.CmdletsRoot + "Write-KvmGuestMemory.md", DefaultParameterSetName = "Bytes", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class WriteKvmGuestMemoryCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The VM whose guest memory to write.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "Guest physical address of the first byte; the whole range must lie in one memory region.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong GuestAddress { get; set; }

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Bytes", HelpMessage = "The bytes to write.")]
    [AllowEmptyCollection]
    public byte[] Bytes { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = "Path", HelpMessage = "A file whose contents to write.")]
    public string Path { get; set; } = "";

    protected override void ProcessRecord() => Try(GuestAddress, () =>
    {
        if (ShouldProcess(Vm.ToString(), ParameterSetName == "Path" ? $"Write {Path} at 0x{GuestAddress:X}" : $"Write {Bytes.Length} bytes at 0x{GuestAddress:X}"))
        {
            if (ParameterSetName == "Path")
            {
                Vm.WriteGuestMemoryFromFile(GuestAddress, GetUnresolvedProviderPathFromPSPath(Path));
            }
            else
            {
                Vm.WriteGuestMemory(GuestAddress, Bytes);
            }
        }
    });
}
