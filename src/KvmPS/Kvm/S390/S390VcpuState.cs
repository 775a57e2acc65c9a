namespace KvmPS.Kvm.S390;

/// <summary>What an s390 vCPU of a user-controlled VM remembers: its UCAS mappings, removed ones included until pruned.</summary>
internal sealed class S390VcpuState
{
    public List<S390Mapping> Mappings { get; } = [];
}
