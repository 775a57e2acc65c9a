namespace KvmPS.Kvm.X86;

/// <summary>The chip_id of struct kvm_irqchip (KVM_IRQCHIP_PIC_MASTER, _PIC_SLAVE, _IOAPIC).</summary>
public enum IrqchipId
{
    PicMaster = 0,
    PicSlave = 1,
    Ioapic = 2,
}
