namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of a vCPU, from KVM_CREATE_VCPU.</summary>
internal sealed class KvmVcpuHandle : FileDescriptorHandle, IKvmVcpuDescriptor, IMsrsDescriptor, IEnableCapDescriptor, IStatsDescriptor, IDeviceAttributeDescriptor
{
}
