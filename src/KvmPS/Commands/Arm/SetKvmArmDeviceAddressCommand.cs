using System.Management.Automation;
using KvmPS.PowerShell;
using KvmPS.Kvm;
using KvmPS.Kvm.Arm;

namespace KvmPS.Commands.Arm;

[Cmdlet(VerbsCommon.Set, "KvmArmDeviceAddress", HelpUri = HelpLinks.CmdletsRoot + "Set-KvmArmDeviceAddress.md", DefaultParameterSetName = "Named", SupportsShouldProcess = true)]
[OutputType(typeof(ArmDeviceAddress))]
public sealed class SetKvmArmDeviceAddressCommand : KvmCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true,
        HelpMessage = "The ARM VM whose in-kernel VGIC gets the address.")]
    public KvmVm Vm { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = "Named", ValueFromPipelineByPropertyName = true,
        HelpMessage = "The device: VgicV2 or VgicV3.")]
    public ArmDevice Device { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Named", ValueFromPipelineByPropertyName = true,
        HelpMessage = "The register frame to place: Distributor, CpuInterface (VGICv2) or Redistributor (VGICv3).")]
    public ArmAddressType AddressType { get; set; }

    // Not bound by property name: a piped KvmVm's own Id (the VM number) must never become a device id.
    [Parameter(Mandatory = true, ParameterSetName = "Id",
        HelpMessage = "A raw KVM_ARM_SET_DEVICE_ADDR id: device id in bits 31..16, address type in bits 15..0, bits 63..32 zero.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Id { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true,
        HelpMessage = "The guest physical base address; 4 KiB aligned for VGICv2 frames, 64 KiB for VGICv3.")]
    [NumberTransformation]
    [ArgumentCompleter(typeof(NoCompletionCompleter))]
    public ulong Address { get; set; }

    [Parameter(HelpMessage = "Legacy (KVM_ARM_SET_DEVICE_ADDR), DeviceAttribute (KVM_SET_DEVICE_ATTR on the VGIC device) or Auto (the default).")]
    public ArmDeviceAddressMethod Method { get; set; } = ArmDeviceAddressMethod.Auto;

    protected override void ProcessRecord() => Try(Vm, () =>
    {
        string what = ParameterSetName == "Id" ? $"device address id 0x{Id:X}" : $"{Device} {AddressType}";
        if (ShouldProcess(Vm.ToString(), $"Place {what} at 0x{Address:X}"))
        {
            WriteObject(ParameterSetName == "Id"
                ? ArmDeviceAddresses.SetById(Vm, Id, Address, Method)
                : ArmDeviceAddresses.Set(Vm, Device, AddressType, Address, Method));
        }
    });
}
