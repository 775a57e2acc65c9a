namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of /dev/kvm itself.</summary>
internal sealed class KvmSystemHandle : FileDescriptorHandle, IKvmSystemDescriptor, ICheckExtensionDescriptor, IMsrsDescriptor
{
}
