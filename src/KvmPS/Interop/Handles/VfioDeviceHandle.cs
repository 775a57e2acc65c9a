namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of a VFIO device, from VFIO_GROUP_GET_DEVICE_FD.</summary>
internal sealed class VfioDeviceHandle : FileDescriptorHandle, IVfioDeviceDescriptor
{
}
