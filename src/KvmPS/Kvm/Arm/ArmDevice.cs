using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm.Arm;

/// <summary>The in-kernel ARM devices whose guest physical addresses userspace chooses.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ArmDevice
{
    /// <summary>GICv2 emulation: KVM_ARM_DEVICE_VGIC_V2 (legacy id) or KVM_DEV_TYPE_ARM_VGIC_V2.</summary>
    VgicV2,

    /// <summary>GICv3 emulation: KVM_DEV_TYPE_ARM_VGIC_V3, addresses through device attributes only.</summary>
    VgicV3,
}

/// <summary>Which register frame of the device an address places.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ArmAddressType
{
    Distributor,
    CpuInterface,
    Redistributor,
}

/// <summary>How Set-KvmArmDeviceAddress reaches the kernel.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum ArmDeviceAddressMethod
{
    /// <summary>The attribute path when the VM has (or the host offers) the VGIC device, otherwise the legacy ioctl.</summary>
    Auto,

    /// <summary>KVM_ARM_SET_DEVICE_ADDR on the VM (deprecated by the kernel; VGICv2 only).</summary>
    Legacy,

    /// <summary>KVM_SET_DEVICE_ATTR, group KVM_DEV_ARM_VGIC_GRP_ADDR, on the VGIC device.</summary>
    DeviceAttribute,
}
