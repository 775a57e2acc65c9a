using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.Commands.Vfio;

[Cmdlet(VerbsLifecycle.Register, "VfioMemory", HelpUri = HelpLinks.CmdletsRoot + "Register-VfioMemory.md", DefaultParameterSetName = "Region", SupportsShouldProcess = true)]
[OutputType(typeof(VfioMemoryRegistration))]
public sealed class RegisterVfioMemoryCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, HelpMessage = "The SPAPR_TCE_v2 container to register the memory with.")]
    public VfioContainer Container { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Region",
        HelpMessage = "A VM memory region whose backing memory to register.")]
    public GuestMemoryRegion MemoryRegion { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = "Range", HelpMessage = "Start of the process memory range; page-aligned.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong HostAddress { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Range", HelpMessage = "Size of the range in bytes; a multiple of the page size.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Size { get; set; }

    protected override void ProcessRecord() => Try(ParameterSetName == "Region" ? MemoryRegion : HostAddress, () =>
    {
        string what = ParameterSetName == "Region" ? MemoryRegion.ToString() : $"0x{HostAddress:X}+0x{Size:X}";
        if (ShouldProcess(Container.ToString(), $"Register {what}"))
        {
            WriteObject(ParameterSetName == "Region" ? Container.RegisterMemory(MemoryRegion) : Container.RegisterMemory(HostAddress, Size));
        }
    });
}
