namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of the VFIO container, /dev/vfio/vfio.</summary>
internal sealed class VfioContainerHandle : FileDescriptorHandle, IVfioContainerDescriptor
{
}
