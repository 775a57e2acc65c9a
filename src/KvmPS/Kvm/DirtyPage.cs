namespace KvmPS.Kvm;

/// <summary>
/// A guest page written since the previous KVM_GET_DIRTY_LOG of its memory slot or, with the dirty ring, since the
/// previous harvest of the ring of vCPU <see cref="VcpuId"/> (null for the bitmap).
/// </summary>
public sealed record DirtyPage(int VmId, int Slot, ulong GuestAddress)
{
    public int? VcpuId { get; init; }
}
