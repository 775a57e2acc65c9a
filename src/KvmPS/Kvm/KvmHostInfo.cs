namespace KvmPS.Kvm;

/// <summary>What Get-KvmHost reports about the host's KVM.</summary>
public sealed record KvmHostInfo(
    int ApiVersion,
    string Architecture,
    int VcpuMmapSize,
    int RecommendedVcpus,
    int MaxVcpus,
    int MaxMemorySlots,
    string DevicePath,
    int PageSize);
