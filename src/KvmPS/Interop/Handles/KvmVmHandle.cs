namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of a VM, from KVM_CREATE_VM.</summary>
internal sealed class KvmVmHandle : FileDescriptorHandle, IKvmVmDescriptor, ICheckExtensionDescriptor, IEnableCapDescriptor, IStatsDescriptor, IDeviceAttributeDescriptor
{
}
