namespace KvmPS.Interop.Handles;

/// <summary>The descriptor of an in-kernel sPAPR TCE table, from KVM_CREATE_SPAPR_TCE(_64); mmap it to reach the entries.</summary>
internal sealed class SpaprTceHandle : FileDescriptorHandle
{
}
