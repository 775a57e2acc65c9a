using KvmPS.Interop.Abi;
using static KvmPS.Interop.Ioctls.IoctlDefinition;
using static KvmPS.Interop.Ioctls.KvmIoctlType;

namespace KvmPS.Interop.Ioctls;

/// <summary>ioctls on a device descriptor from KVM_CREATE_DEVICE, also accepted on VM and vCPU fds (api.txt 4.81).</summary>
internal static class KvmDeviceIoctls
{
    public static readonly IoctlDefinition SetDeviceAttr = IOW(Kvmio, "KVM_SET_DEVICE_ATTR", 0xe1, KvmStructs.DeviceAttr);
    public static readonly IoctlDefinition GetDeviceAttr = IOW(Kvmio, "KVM_GET_DEVICE_ATTR", 0xe2, KvmStructs.DeviceAttr);
    public static readonly IoctlDefinition HasDeviceAttr = IOW(Kvmio, "KVM_HAS_DEVICE_ATTR", 0xe3, KvmStructs.DeviceAttr);
}
