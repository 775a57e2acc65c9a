using KvmPS.Interop.Structs;

namespace KvmPS.Interop.Abi;

/// <summary>
/// Interrupt delivery and VM time: the irqchip state, MSIs, GSI routing, irqfd/ioeventfd and kvm_clock_data.
/// kvm_pic_state and kvm_ioapic_state live in x86's asm/kvm.h only; kvm_irqchip's union holds them only where the
/// headers define __KVM_HAVE_PIT/__KVM_HAVE_IOAPIC (x86), and is 512 bytes everywhere.
/// </summary>
internal static class InterruptStructs
{
    public static readonly KernelStruct PicState = KernelStruct.On(ArchitectureSet.X86_64, PicStateLayout(),
        "last_irr", "irr", "imr", "isr", "priority_add", "irq_base", "read_reg_select", "poll", "special_mask",
        "init_state", "auto_eoi", "rotate_on_auto_eoi", "special_fully_nested_mode", "init4", "elcr", "elcr_mask");

    /// <summary>redirtbl[] entries are declared by their 64-bit view (the header's bit-field view has no offsetof).</summary>
    public static readonly KernelStruct IoapicState = KernelStruct.On(ArchitectureSet.X86_64, IoapicStateLayout(),
        "base_address", "ioregsel", "id", "irr", "pad", "redirtbl");

    public static readonly KernelStruct Irqchip = KernelStruct.PerArchitecture("kvm_irqchip", arch =>
        {
            var chip = CStructLayout.Union("kvm_irqchip.chip").U8("dummy", 512);
            if (arch == CpuArchitecture.X86_64)
            {
                chip.Member("pic", PicStateLayout()).Member("ioapic", IoapicStateLayout());
            }
            return CStructLayout.Struct("kvm_irqchip").U32("chip_id").U32("pad").Member("chip", chip.Build()).Build();
        },
        "chip_id", "pad", "chip");

    public static readonly KernelStruct Interrupt = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_interrupt").U32("irq").Build(),
        "irq");

    public static readonly KernelStruct Msi = KernelStruct.Of<KvmMsi>();

    public static readonly KernelStruct IrqRoutingEntry = KernelStruct.Everywhere(RoutingEntryLayout(),
        "gsi", "type", "flags", "pad", "u", "u.irqchip.irqchip", "u.irqchip.pin",
        "u.msi.address_lo", "u.msi.address_hi", "u.msi.data", "u.msi.devid");

    /// <summary>nr entries follow in a flexible array (api.txt 4.52).</summary>
    public static readonly KernelStruct IrqRouting = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_irq_routing").U32("nr").U32("flags").FlexibleArray("entries", RoutingEntryLayout()).Build(),
        "nr", "flags", "entries");

    public static readonly KernelStruct Irqfd = KernelStruct.Of<KvmIrqfdRequest>();

    public static readonly KernelStruct Ioeventfd = KernelStruct.Of<KvmIoeventfdRequest>();

    public static readonly KernelStruct ClockData = KernelStruct.Of<KvmClockData>();

    private static CStructLayout PicStateLayout() => CStructLayout.Struct("kvm_pic_state")
        .U8("last_irr").U8("irr").U8("imr").U8("isr").U8("priority_add").U8("irq_base").U8("read_reg_select")
        .U8("poll").U8("special_mask").U8("init_state").U8("auto_eoi").U8("rotate_on_auto_eoi")
        .U8("special_fully_nested_mode").U8("init4").U8("elcr").U8("elcr_mask")
        .Build();

    private static CStructLayout IoapicStateLayout() => CStructLayout.Struct("kvm_ioapic_state")
        .U64("base_address").U32("ioregsel").U32("id").U32("irr").U32("pad")
        .Member("redirtbl", CStructLayout.Union("kvm_ioapic_state.redirtbl").U64("bits").Build(), 24)
        .Build();

    private static CStructLayout RoutingEntryLayout() => CStructLayout.Struct("kvm_irq_routing_entry")
        .U32("gsi").U32("type").U32("flags").U32("pad")
        .Member("u", CStructLayout.Union("kvm_irq_routing_entry.u")
            .Member("irqchip", CStructLayout.Struct("kvm_irq_routing_irqchip").U32("irqchip").U32("pin").Build())
            .Member("msi", CStructLayout.Struct("kvm_irq_routing_msi")
                .U32("address_lo").U32("address_hi").U32("data")
                .Anonymous(CStructLayout.Union("kvm_irq_routing_msi.devid").U32("pad").U32("devid").Build())
                .Build())
            .Member("adapter", CStructLayout.Struct("kvm_irq_routing_s390_adapter")
                .U64("ind_addr").U64("summary_addr").U64("ind_offset").U32("summary_offset").U32("adapter_id").Build())
            .U32("pad", 8)
            .Build())
        .Build();
}
