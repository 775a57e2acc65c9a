namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of an in-kernel device, from KVM_CREATE_DEVICE.</summary>
internal sealed class KvmDeviceHandle : FileDescriptorHandle, IKvmDeviceDescriptor, IDeviceAttributeDescriptor
{
}
