namespace KvmPS.Kvm.Ppc;

/// <summary>The MMU hash table KVM_PPC_ALLOCATE_HTAB allocated (or cleared) for a VM: 2^Order bytes of 16-byte HPTEs.</summary>
public sealed record PpcHashTable(int VmId, int Order)
{
    public const int MinOrder = 18;
    public const int MaxOrder = 46;
    private const int HpteSize = 16;

    public ulong Size => 1UL << Order;
    public ulong EntryCount => Size / HpteSize;
}
