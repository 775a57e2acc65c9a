namespace KvmPS.Interop.Handles;

/// <summary>A guest_memfd from KVM_CREATE_GUEST_MEMFD: guest memory that this process need not map.</summary>
internal sealed class GuestMemfdHandle : FileDescriptorHandle
{
}
