namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of a vCPU, from KVM_CREATE_VCPU.</summary>
public sealed class KvmVcpuHandle : FileDescriptorHandle
{
}
