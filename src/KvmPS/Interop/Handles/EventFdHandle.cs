namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of an eventfd(2).</summary>
internal sealed class EventFdHandle : FileDescriptorHandle
{
}
