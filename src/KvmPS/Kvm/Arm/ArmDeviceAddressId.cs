using KvmPS.Interop;

namespace KvmPS.Kvm.Arm;

/// <summary>
/// The id of KVM_ARM_SET_DEVICE_ADDR (api.txt 4.80): bits 63..32 zero, device id in 31..16
/// (KVM_ARM_DEVICE_ID_SHIFT), address type in 15..0 (KVM_ARM_DEVICE_TYPE_SHIFT).
/// </summary>
public readonly record struct ArmDeviceAddressId(ushort DeviceId, ushort AddressType)
{
    public const int DeviceIdShift = 16;
    public const int AddressTypeShift = 0;

    /// <summary>KVM_ARM_DEVICE_VGIC_V2, the only device id the kernel knows.</summary>
    public const ushort VgicV2DeviceId = 0;

    public ulong Value => ((ulong)DeviceId << DeviceIdShift) | ((ulong)AddressType << AddressTypeShift);

    /// <summary>Splits a raw id; bits 63..32 are reserved and must be zero.</summary>
    public static ArmDeviceAddressId FromRaw(ulong id)
    {
        if (id >> 32 != 0)
        {
            throw KvmPSException.InvalidArgument("ArmDeviceIdReservedBits",
                $"Device address id 0x{id:X} sets bits 63..32, which api.txt 4.80 reserves as zero (device id in bits 31..16, address type in 15..0).");
        }
        return new ArmDeviceAddressId((ushort)(id >> DeviceIdShift), (ushort)(id >> AddressTypeShift));
    }

    public override string ToString() => $"0x{Value:X8} (device {DeviceId}, address type {AddressType})";
}
