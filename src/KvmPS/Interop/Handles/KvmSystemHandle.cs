namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of /dev/kvm itself.</summary>
public sealed class KvmSystemHandle : FileDescriptorHandle
{
}
