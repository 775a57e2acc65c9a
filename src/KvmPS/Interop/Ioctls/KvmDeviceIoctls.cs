using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using static KvmPS.Interop.Ioctls.IoctlsOn<KvmPS.Interop.Handles.IDeviceAttributeDescriptor>;
using static KvmPS.Interop.Ioctls.KvmIoctlType;

namespace KvmPS.Interop.Ioctls;

/// <summary>ioctls on a device descriptor from KVM_CREATE_DEVICE, also accepted on VM and vCPU fds (api.txt 4.81).</summary>
internal static class KvmDeviceIoctls
{
    public static readonly IoctlDefinition<IDeviceAttributeDescriptor> SetDeviceAttr = IOW(Kvmio, "KVM_SET_DEVICE_ATTR", 0xe1, KvmStructs.DeviceAttr);
    public static readonly IoctlDefinition<IDeviceAttributeDescriptor> GetDeviceAttr = IOW(Kvmio, "KVM_GET_DEVICE_ATTR", 0xe2, KvmStructs.DeviceAttr);
    public static readonly IoctlDefinition<IDeviceAttributeDescriptor> HasDeviceAttr = IOW(Kvmio, "KVM_HAS_DEVICE_ATTR", 0xe3, KvmStructs.DeviceAttr);
}
