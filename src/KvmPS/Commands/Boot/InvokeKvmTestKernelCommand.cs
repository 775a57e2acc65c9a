using System.Collections;
using System.Management.Automation;
using KvmPS.Boot;
using KvmPS.PowerShell;

namespace KvmPS.Commands.Boot;

[Cmdlet(VerbsLifecycle.Invoke, "KvmTestKernel", HelpUri = HelpLinks.CmdletsRoot + "Invoke-KvmTestKernel.md", SupportsShouldProcess = true)]
[OutputType(typeof(TestKernelResult))]
public sealed class InvokeKvmTestKernelCommand : KvmCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, HelpMessage = "The multiboot kernel image (ELF32 or ELF64) to boot.")]
    [Alias("FullName")]
    public string Path { get; set; } = null!;

    [Parameter(HelpMessage = "The kernel command line after the image name (QEMU's -append).")]
    public string? Append { get; set; }

    [Parameter(HelpMessage = "KEY=VALUE entries for the environment module the kernel reads first; NR_CPUS and MEMSIZE are set from -Smp and -Memory unless given.")]
    public Hashtable? Environment { get; set; }

    [Parameter(HelpMessage = "The number of vCPUs: vCPU 0 starts at the entry, the others wait for the kernel's INIT/SIPI.")]
    [NumberTransformation(Signed = true)]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    [ValidateRange(1, PcMachine.MaxSmp)]
    public int Smp { get; set; } = 1;

    [Parameter(HelpMessage = "The guest RAM in bytes (1MB to 3GB, page-aligned), from guest address 0.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Memory { get; set; } = PcMachine.DefaultMemory;

    [Parameter(HelpMessage = "How long the kernel may run before its status is Timeout and its VM is stopped.")]
    [ValidateRange(0.001, 86400)]
    public double TimeoutSeconds { get; set; } = 60;

    protected override void ProcessRecord()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        Try(path, () =>
        {
            if (ShouldProcess(path, $"Boot in a new VM with {Smp} vCPU(s) and {Memory >> 20} MB"))
            {
                var options = new TestKernelOptions(path)
                {
                    Append = Append,
                    Environment = Environment.ToStringDictionary(),
                    Smp = Smp,
                    Memory = Memory,
                    Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
                };
                TestKernelResult result;
                try
                {
                    result = TestKernelRun.Run(Session, options, _stop.Token);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();   // Ctrl+C: the kernel's VM is already stopped and removed
                }
                WriteObject(result);
            }
        });
    }

    protected override void StopProcessing() => _stop.Cancel();
}
