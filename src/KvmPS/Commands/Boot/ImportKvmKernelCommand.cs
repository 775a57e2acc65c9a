using System.Collections;
using System.Management.Automation;
using KvmPS.Boot;
using KvmPS.Kvm;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Boot;

[Cmdlet(VerbsData.Import, "KvmKernel", HelpUri = HelpLinks.CmdletsRoot + "Import-KvmKernel.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class ImportKvmKernelCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, HelpMessage = "The VM to load the kernel into; RAM, an irqchip and a vCPU are added where it has none.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, HelpMessage = "The multiboot kernel image (ELF32 or ELF64) to load.")]
    [Alias("FullName")]
    public string Path { get; set; } = null!;

    [Parameter(HelpMessage = "The kernel command line after the image name (QEMU's -append).")]
    public string? Append { get; set; }

    [Parameter(HelpMessage = "KEY=VALUE entries for the environment module the kernel reads first; NR_CPUS and MEMSIZE are set from the VM unless given.")]
    public Hashtable? Environment { get; set; }

    protected override void ProcessRecord()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        Try(Vm, () =>
        {
            if (ShouldProcess(Vm.ToString(), $"Load the multiboot kernel {path}"))
            {
                KernelImport.Import(Vm, path, KernelImport.ReadImage(path), Append, Environment.ToStringDictionary());
                WriteObject(Vm);
            }
        });
    }
}
