using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm.X86;

/// <summary>KVM_GET_IRQCHIP / KVM_SET_IRQCHIP (api.txt 4.26, 4.27): the state of the in-kernel PICs and IOAPIC.</summary>
public static class VmIrqchip
{
    public static IrqchipState Get(KvmVm vm, IrqchipId chip)
    {
        vm.RequireIrqchip("KVM_GET_IRQCHIP");
        Span<byte> buffer = Buffer(vm, chip);
        vm.Descriptor.Ioctl(KvmVmIoctls.GetIrqchip, buffer, Hint);
        return new IrqchipState(chip, buffer.Slice(ChipOffset(vm), IrqchipState.ChipBytes).ToArray());
    }

    /// <summary>All three chips: master PIC, slave PIC, IOAPIC.</summary>
    public static IReadOnlyList<IrqchipState> GetAll(KvmVm vm) => Enum.GetValues<IrqchipId>().Select(chip => Get(vm, chip)).ToArray();

    public static void Set(KvmVm vm, IrqchipState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        vm.RequireIrqchip("KVM_SET_IRQCHIP");
        Span<byte> buffer = Buffer(vm, state.Chip);
        state.Raw.CopyTo(buffer[ChipOffset(vm)..]);
        vm.Descriptor.Ioctl(KvmVmIoctls.SetIrqchip, buffer, Hint);
    }

    private static Span<byte> Buffer(KvmVm vm, IrqchipId chip)
    {
        byte[] buffer = new byte[InterruptStructs.Irqchip.SizeOn(vm.Kernel.Architecture)];
        BitConverter.TryWriteBytes(buffer.AsSpan(InterruptStructs.Irqchip.LayoutOn(vm.Kernel.Architecture).OffsetOf("chip_id")), (uint)chip);
        return buffer;
    }

    private static int ChipOffset(KvmVm vm) => InterruptStructs.Irqchip.LayoutOn(vm.Kernel.Architecture).OffsetOf("chip");

    private static string? Hint(int errno) => errno == Errno.ENXIO
        ? "The VM's irqchip is split (KVM_CAP_SPLIT_IRQCHIP) or not a PIC/IOAPIC one: only a full x86 in-kernel irqchip has this state."
        : errno == Errno.EINVAL ? "The chip id is not PicMaster (0), PicSlave (1) or Ioapic (2)." : null;
}
