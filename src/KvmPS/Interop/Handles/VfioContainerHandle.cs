namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of the VFIO container, /dev/vfio/vfio.</summary>
public sealed class VfioContainerHandle : FileDescriptorHandle
{
}
