using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.S390;

namespace KvmPS.Commands.S390;

[Cmdlet(VerbsCommon.Remove, "KvmS390Mapping", HelpUri = HelpLinks.CmdletsRoot + "Remove-KvmS390Mapping.md", DefaultParameterSetName = "Mapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKvmS390MappingCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Mapping",
        HelpMessage = "The mapping to unmap, from Add-KvmS390Mapping or Get-KvmS390Mapping.")]
    public S390Mapping Mapping { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Range", HelpMessage = "The vCPU whose mapping to unmap.")]
    public KvmVcpu Vcpu { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Range", HelpMessage = "The vCPU address the mapping starts at.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong VcpuAddress { get; set; }

    [Parameter(Mandatory = true, Position = 2, ParameterSetName = "Range", HelpMessage = "The length of the mapping, exactly as it was mapped.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Length { get; set; }

    [Parameter(HelpMessage = "Do not ask for confirmation (-WhatIf still only reports).")]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Mapping")
        {
            Try(Mapping, () =>
            {
                if (ShouldChange(Mapping.ToString(), "Remove", Force))
                {
                    S390Mappings.Remove(Mapping);
                }
            });
        }
        else
        {
            Try(Vcpu, () =>
            {
                if (ShouldChange(Vcpu.ToString(), $"Remove the mapping at vCPU address 0x{VcpuAddress:X}", Force))
                {
                    S390Mappings.Remove(Vcpu, VcpuAddress, Length);
                }
            });
        }
    }
}
