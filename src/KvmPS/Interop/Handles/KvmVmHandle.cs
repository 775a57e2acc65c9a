namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of a VM, from KVM_CREATE_VM.</summary>
public sealed class KvmVmHandle : FileDescriptorHandle
{
}
