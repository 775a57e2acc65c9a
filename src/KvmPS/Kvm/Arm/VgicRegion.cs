using KvmPS.Interop;

namespace KvmPS.Kvm.Arm;

/// <summary>
/// One VGIC register frame whose base userspace sets: its KVM_VGIC_*_ADDR_TYPE_* attribute, the legacy address
/// type (VGICv2 only), and the alignment and size that vgic_check_iorange() in vgic-kvm-device.c enforces.
/// </summary>
public sealed record VgicRegion(ArmDevice Device, ArmAddressType AddressType, string KernelName, ulong Attribute,
    ushort? LegacyAddressType, ulong Alignment, ulong Size)
{
    private const ulong Size4K = 0x1000;
    private const ulong Size64K = 0x1_0000;

    /// <summary>KVM_VGIC_V3_REDIST_SIZE: each vCPU's redistributor takes two 64 KiB frames.</summary>
    public const ulong RedistributorSizePerVcpu = 2 * Size64K;

    public static IReadOnlyList<VgicRegion> All { get; } =
    [
        new(ArmDevice.VgicV2, ArmAddressType.Distributor, "KVM_VGIC_V2_ADDR_TYPE_DIST", 0, 0, Size4K, 0x1000),
        new(ArmDevice.VgicV2, ArmAddressType.CpuInterface, "KVM_VGIC_V2_ADDR_TYPE_CPU", 1, 1, Size4K, 0x2000),
        new(ArmDevice.VgicV3, ArmAddressType.Distributor, "KVM_VGIC_V3_ADDR_TYPE_DIST", 2, null, Size64K, Size64K),
        new(ArmDevice.VgicV3, ArmAddressType.Redistributor, "KVM_VGIC_V3_ADDR_TYPE_REDIST", 3, null, Size64K, RedistributorSizePerVcpu),
    ];

    public static VgicRegion Of(ArmDevice device, ArmAddressType addressType) =>
        All.FirstOrDefault(r => r.Device == device && r.AddressType == addressType)
        ?? throw KvmPSException.InvalidArgument("ArmAddressTypeNotOnDevice",
            $"{device} has no {addressType} frame; its address types are {string.Join(", ", All.Where(r => r.Device == device).Select(r => r.AddressType))}.");

    /// <summary>The region a legacy id names, or null for an id the module does not know (the kernel answers ENODEV).</summary>
    public static VgicRegion? OfLegacyId(ArmDeviceAddressId id) => id.DeviceId == ArmDeviceAddressId.VgicV2DeviceId
        ? All.FirstOrDefault(r => r.LegacyAddressType == id.AddressType)
        : null;

    public ArmDeviceAddressId? LegacyId => LegacyAddressType is ushort type ? new ArmDeviceAddressId(ArmDeviceAddressId.VgicV2DeviceId, type) : null;

    /// <summary>The bytes the frame covers in guest physical space; the redistributor region grows with the vCPUs.</summary>
    public ulong SizeFor(int vcpuCount) => AddressType == ArmAddressType.Redistributor ? Size * (ulong)Math.Max(1, vcpuCount) : Size;

    public override string ToString() => $"{Device} {AddressType}";
}
