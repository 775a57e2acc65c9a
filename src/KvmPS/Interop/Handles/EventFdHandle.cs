namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of an eventfd(2).</summary>
public sealed class EventFdHandle : FileDescriptorHandle
{
}
