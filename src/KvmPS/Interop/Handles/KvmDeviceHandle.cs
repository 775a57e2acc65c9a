namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of an in-kernel device, from KVM_CREATE_DEVICE.</summary>
public sealed class KvmDeviceHandle : FileDescriptorHandle
{
}
