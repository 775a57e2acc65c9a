namespace KvmPS.Kvm.Arm;

/// <summary>A device base address that was set: what, where, and through which interface.</summary>
public sealed record ArmDeviceAddress(
    int VmId,
    ArmDevice? Device,
    ArmAddressType? AddressType,
    string KernelAddressType,
    ulong? Id,
    ulong Address,
    ulong Size,
    ArmDeviceAddressMethod Method)
{
    public override string ToString() => $"VM {VmId} {KernelAddressType} at 0x{Address:X} ({Method})";
}
