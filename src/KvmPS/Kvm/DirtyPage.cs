namespace KvmPS.Kvm;

/// <summary>A guest page written since the previous KVM_GET_DIRTY_LOG of its memory slot.</summary>
public sealed record DirtyPage(int VmId, int Slot, ulong GuestAddress);
