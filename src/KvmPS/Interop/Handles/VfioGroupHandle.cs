namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of a VFIO group, /dev/vfio/&lt;group&gt;.</summary>
public sealed class VfioGroupHandle : FileDescriptorHandle
{
}
