namespace KvmPS.Kvm;

/// <summary>The kind of a GSI routing entry (KVM_IRQ_ROUTING_IRQCHIP, KVM_IRQ_ROUTING_MSI).</summary>
public enum GsiRouteType : uint
{
    Irqchip = 1,
    Msi = 2,
}

/// <summary>
/// One row of a GSI routing table (struct kvm_irq_routing_entry, api.txt 4.52): GSI <see cref="Gsi"/> drives pin
/// <see cref="Pin"/> of irqchip <see cref="Irqchip"/> (x86: 0 master PIC, 1 slave PIC, 2 IOAPIC), or sends the MSI
/// <see cref="Address"/>/<see cref="Data"/>. Settable properties, so PowerShell builds rows from hashtables.
/// </summary>
public sealed class GsiRoute
{
    public uint Gsi { get; set; }
    public GsiRouteType Type { get; set; } = GsiRouteType.Irqchip;
    public uint Irqchip { get; set; }
    public uint Pin { get; set; }
    public ulong Address { get; set; }
    public uint Data { get; set; }

    public static GsiRoute ToIrqchip(uint gsi, uint irqchip, uint pin) => new() { Gsi = gsi, Type = GsiRouteType.Irqchip, Irqchip = irqchip, Pin = pin };

    public static GsiRoute ToMsi(uint gsi, ulong address, uint data) => new() { Gsi = gsi, Type = GsiRouteType.Msi, Address = address, Data = data };

    /// <summary>
    /// The routing an x86 in-kernel irqchip starts with: GSIs 0-15 to the PIC pin (master 0-7, slave 8-15) and to the
    /// IOAPIC pin of the same number (GSI 0 to IOAPIC pin 2, where the PIT is wired), 16-23 to the IOAPIC only.
    /// </summary>
    public static IReadOnlyList<GsiRoute> X86Defaults()
    {
        var routes = new List<GsiRoute>();
        for (uint gsi = 0; gsi < 24; gsi++)
        {
            if (gsi < 16)
            {
                routes.Add(ToIrqchip(gsi, gsi < 8 ? 0u : 1u, gsi % 8));
            }
            routes.Add(ToIrqchip(gsi, 2, gsi == 0 ? 2u : gsi));
        }
        return routes;
    }

    public override string ToString() => Type == GsiRouteType.Msi
        ? $"GSI {Gsi} -> MSI 0x{Address:X} data 0x{Data:X}"
        : $"GSI {Gsi} -> irqchip {Irqchip} pin {Pin}";
}
