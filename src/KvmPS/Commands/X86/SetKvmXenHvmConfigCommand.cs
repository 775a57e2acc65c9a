using System.Management.Automation;
using KvmPS.Kvm;
using KvmPS.Kvm.X86;
using KvmPS.PowerShell;

namespace KvmPS.Commands.X86;

[Cmdlet(VerbsCommon.Set, "KvmXenHvmConfig", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmXenHvmConfig.md", SupportsShouldProcess = true)]
[OutputType(typeof(KvmVm))]
public sealed class SetKvmXenHvmConfigCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "The VM to configure for a Xen HVM guest.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "The MSR whose write makes KVM copy a hypercall page into the guest (Xen uses 0x40000000).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public uint Msr { get; set; }

    [Parameter(HelpMessage = "Host virtual address of the 32-bit hypercall blob (0 for none).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong BlobAddress32 { get; set; }

    [Parameter(HelpMessage = "Size of the 32-bit hypercall blob in pages.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public byte BlobPages32 { get; set; }

    [Parameter(HelpMessage = "Host virtual address of the 64-bit hypercall blob (0 for none).")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong BlobAddress64 { get; set; }

    [Parameter(HelpMessage = "Size of the 64-bit hypercall blob in pages.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public byte BlobPages64 { get; set; }

    [Parameter(HelpMessage = "Write the VM to the pipeline afterwards.")]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        if (ShouldProcess(Vm.ToString(), $"Set the Xen hypercall MSR to 0x{Msr:X} (KVM_XEN_HVM_CONFIG)"))
        {
            X86VmSetup.SetXenHvmConfig(Vm, Msr, BlobAddress32, BlobPages32, BlobAddress64, BlobPages64);
        }
        if (PassThru)
        {
            WriteObject(Vm);
        }
    });
}
