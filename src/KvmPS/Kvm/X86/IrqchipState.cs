using KvmPS.Interop;

namespace KvmPS.Kvm.X86;

/// <summary>
/// One chip of the in-kernel irqchip as KVM_GET_IRQCHIP returned it (api.txt 4.26): the 512 bytes of
/// kvm_irqchip's union in <see cref="Raw"/>, viewed as <see cref="Pic"/> or <see cref="Ioapic"/>. Changing a view
/// changes <see cref="Raw"/>, which KVM_SET_IRQCHIP writes back.
/// </summary>
public sealed class IrqchipState
{
    /// <summary>The size of kvm_irqchip's chip union (char dummy[512]).</summary>
    public const int ChipBytes = 512;

    public IrqchipState(IrqchipId chip, byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (!Enum.IsDefined(chip))
        {
            throw new KvmPSException("InvalidIrqchipId", ErrorKind.InvalidArgument,
                $"{(int)chip} is not a chip of the in-kernel irqchip; use one of {string.Join(", ", Enum.GetNames<IrqchipId>())}.",
                recommendedAction: "Pass PicMaster, PicSlave or Ioapic.");
        }
        if (raw.Length != ChipBytes)
        {
            throw new KvmPSException("InvalidIrqchipState", ErrorKind.InvalidArgument,
                $"The state of an irqchip is {ChipBytes} bytes (kvm_irqchip's union); got {raw.Length}.");
        }
        Chip = chip;
        Raw = raw;
    }

    [Newtonsoft.Json.JsonConverter(typeof(Newtonsoft.Json.Converters.StringEnumConverter))]
    public IrqchipId Chip { get; }

    /// <summary>The chip union's bytes, exactly as the kernel laid them out.</summary>
    public byte[] Raw { get; }

    /// <summary>The i8259 state for PicMaster and PicSlave, else null.</summary>
    public PicState? Pic => Chip == IrqchipId.Ioapic ? null : new PicState(Raw);

    /// <summary>The IOAPIC state for Ioapic, else null.</summary>
    public IoapicState? Ioapic => Chip == IrqchipId.Ioapic ? new IoapicState(Raw) : null;

    public override string ToString() => $"{Chip}: {Pic?.ToString() ?? Ioapic?.ToString()}";
}
