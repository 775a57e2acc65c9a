namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of a VFIO group, /dev/vfio/&lt;group&gt;.</summary>
internal sealed class VfioGroupHandle : FileDescriptorHandle, IVfioGroupDescriptor
{
}
