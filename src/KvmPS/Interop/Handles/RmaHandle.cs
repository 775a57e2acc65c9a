namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of a powerpc Real Mode Area, from KVM_ALLOCATE_RMA; mmap it to reach the memory.</summary>
internal sealed class RmaHandle : FileDescriptorHandle
{
}
