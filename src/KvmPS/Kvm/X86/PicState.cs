using KvmPS.Interop;
using KvmPS.Interop.Abi;

namespace KvmPS.Kvm.X86;

/// <summary>An i8259's struct kvm_pic_state, read and written in place in its <see cref="IrqchipState"/>'s bytes.</summary>
public sealed class PicState
{
    private static readonly CStructLayout Layout = InterruptStructs.PicState.LayoutOn(CpuArchitecture.X86_64);
    private readonly byte[] _raw;

    internal PicState(byte[] raw) => _raw = raw;

    public byte LastIrr { get => Get("last_irr"); set => Set("last_irr", value); }
    /// <summary>Interrupt request register: the lines raised and not yet serviced.</summary>
    public byte Irr { get => Get("irr"); set => Set("irr", value); }
    /// <summary>Interrupt mask register: a set bit masks that line.</summary>
    public byte Imr { get => Get("imr"); set => Set("imr", value); }
    /// <summary>In-service register: the lines whose handler has not sent EOI.</summary>
    public byte Isr { get => Get("isr"); set => Set("isr", value); }
    public byte PriorityAdd { get => Get("priority_add"); set => Set("priority_add", value); }
    /// <summary>The vector of line 0 (ICW2).</summary>
    public byte IrqBase { get => Get("irq_base"); set => Set("irq_base", value); }
    public byte ReadRegSelect { get => Get("read_reg_select"); set => Set("read_reg_select", value); }
    public byte Poll { get => Get("poll"); set => Set("poll", value); }
    public byte SpecialMask { get => Get("special_mask"); set => Set("special_mask", value); }
    public byte InitState { get => Get("init_state"); set => Set("init_state", value); }
    public byte AutoEoi { get => Get("auto_eoi"); set => Set("auto_eoi", value); }
    public byte RotateOnAutoEoi { get => Get("rotate_on_auto_eoi"); set => Set("rotate_on_auto_eoi", value); }
    public byte SpecialFullyNestedMode { get => Get("special_fully_nested_mode"); set => Set("special_fully_nested_mode", value); }
    public byte Init4 { get => Get("init4"); set => Set("init4", value); }
    /// <summary>Edge/level control: a set bit makes that line level-triggered.</summary>
    public byte Elcr { get => Get("elcr"); set => Set("elcr", value); }
    public byte ElcrMask { get => Get("elcr_mask"); set => Set("elcr_mask", value); }

    private byte Get(string member) => _raw[Layout.OffsetOf(member)];

    private void Set(string member, byte value) => _raw[Layout.OffsetOf(member)] = value;

    public override string ToString() => $"PIC irq_base 0x{IrqBase:X2} imr 0x{Imr:X2} irr 0x{Irr:X2} isr 0x{Isr:X2}";
}
