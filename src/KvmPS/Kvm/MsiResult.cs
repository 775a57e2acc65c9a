namespace KvmPS.Kvm;

/// <summary>What KVM_SIGNAL_MSI answered (api.txt 4.71): above 0 delivered, 0 blocked by the guest (masked, for instance).</summary>
public sealed record MsiResult(int VmId, ulong Address, uint Data, int Status)
{
    public bool Delivered => Status > 0;
}
