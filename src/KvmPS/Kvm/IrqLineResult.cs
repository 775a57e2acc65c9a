namespace KvmPS.Kvm;

/// <summary>
/// What Set-KvmIrqLine did. <see cref="Status"/> is KVM_IRQ_LINE_STATUS's answer (api.txt 4.25): above 0 the
/// interrupt was delivered (to that many destinations), 0 it was coalesced with one still pending, below 0 it was
/// masked; null where the host lacks KVM_CAP_IRQ_INJECT_STATUS and plain KVM_IRQ_LINE was used.
/// </summary>
public sealed record IrqLineResult(int VmId, uint Gsi, bool Level, int? Status)
{
    public bool? Delivered => Status is int status ? status > 0 : null;
}
