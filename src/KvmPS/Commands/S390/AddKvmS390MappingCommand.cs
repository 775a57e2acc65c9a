using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.S390;

namespace KvmPS.Commands.S390;

[Cmdlet(VerbsCommon.Add, "KvmS390Mapping", HelpUri = HelpLinks.CmdletsRoot + "Add-KvmS390Mapping.md", SupportsShouldProcess = true)]
[OutputType(typeof(S390Mapping))]
public sealed class AddKvmS390MappingCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, HelpMessage = "A vCPU of a user-controlled s390 VM (New-KvmVm -S390UserControlled).")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, HelpMessage = "Where the memory appears in the vCPU's address space; a multiple of 1 MiB.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong VcpuAddress { get; set; }

    [Parameter(Mandatory = true, Position = 2, HelpMessage = "Length in bytes; a non-zero multiple of 1 MiB.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Length { get; set; }

    [Parameter(HelpMessage = "Host address of memory in this process to map (1 MiB aligned); when omitted KvmPS allocates aligned memory that the mapping owns.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong? UserAddress { get; set; }

    protected override void ProcessRecord() => Try(Vcpu, () =>
    {
        if (ShouldProcess(Vcpu.ToString(), $"Map 0x{Length:X} bytes at vCPU address 0x{VcpuAddress:X}"))
        {
            WriteObject(S390Mappings.Add(Vcpu, VcpuAddress, Length, UserAddress));
        }
    });
}
