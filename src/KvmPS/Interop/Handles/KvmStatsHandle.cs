namespace KvmPS.Interop.Handles;

/// <summary>The descriptor KVM_GET_STATS_FD returns for a VM or a vCPU: read() gives the binary statistics.</summary>
internal sealed class KvmStatsHandle : FileDescriptorHandle
{
}
