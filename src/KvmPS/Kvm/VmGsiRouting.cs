using System.Buffers.Binary;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm;

/// <summary>KVM_SET_GSI_ROUTING (api.txt 4.52): replaces the VM's whole GSI routing table.</summary>
public static class VmGsiRouting
{
    /// <summary>x86's in-kernel irqchip: two PICs of 8 pins, an IOAPIC of 24.</summary>
    private static readonly uint[] X86PinCounts = [8, 8, 24];

    public static void Set(KvmVm vm, IReadOnlyList<GsiRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(vm);
        ArgumentNullException.ThrowIfNull(routes);
        int maxRoutes = vm.RequireCapability(KvmCapability.IrqRouting, "GSI routing (KVM_SET_GSI_ROUTING)");
        vm.RequireIrqchip("KVM_SET_GSI_ROUTING");
        if (routes.Count > maxRoutes)
        {
            throw new KvmPSException("TooManyGsiRoutes", ErrorKind.LimitsExceeded, $"{routes.Count} routes exceed the host's limit of {maxRoutes} (KVM_CAP_IRQ_ROUTING).",
                recommendedAction: $"Give at most {maxRoutes} routes.");
        }
        foreach (GsiRoute route in routes)
        {
            Check(vm, route);
        }
        CpuArchitecture arch = vm.Kernel.Architecture;
        CStructLayout table = InterruptStructs.IrqRouting.LayoutOn(arch);
        CStructLayout entry = InterruptStructs.IrqRoutingEntry.LayoutOn(arch);
        byte[] buffer = new byte[table.OffsetOf("entries") + routes.Count * entry.Size];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(table.OffsetOf("nr")), (uint)routes.Count);
        for (int i = 0; i < routes.Count; i++)
        {
            Span<byte> row = buffer.AsSpan(table.OffsetOf("entries") + i * entry.Size, entry.Size);
            GsiRoute route = routes[i];
            Write(row, entry, "gsi", route.Gsi);
            Write(row, entry, "type", (uint)route.Type);
            if (route.Type == GsiRouteType.Irqchip)
            {
                Write(row, entry, "u.irqchip.irqchip", route.Irqchip);
                Write(row, entry, "u.irqchip.pin", route.Pin);
            }
            else
            {
                Write(row, entry, "u.msi.address_lo", (uint)route.Address);
                Write(row, entry, "u.msi.address_hi", (uint)(route.Address >> 32));
                Write(row, entry, "u.msi.data", route.Data);
            }
        }
        vm.Descriptor.Ioctl(KvmVmIoctls.SetGsiRouting, buffer, errno => errno == Errno.EINVAL
            ? "The kernel refused a row: a GSI beyond the routing table, two routes of one GSI to the same irqchip, or an irqchip or pin this VM lacks."
            : null);
    }

    private static void Check(KvmVm vm, GsiRoute? route)
    {
        if (route is null)
        {
            throw new KvmPSException("NullArgument", ErrorKind.InvalidArgument, "A GSI route is $null.",
                recommendedAction: "Pass rows such as @{ Gsi = 5; Type = 'Irqchip'; Irqchip = 0; Pin = 5 } or @{ Gsi = 24; Type = 'Msi'; Address = 0xfee00000; Data = 0x31 }.");
        }
        if (!Enum.IsDefined(route.Type))
        {
            throw new KvmPSException("InvalidGsiRouteType", ErrorKind.InvalidArgument, $"{route}: type {(uint)route.Type} is neither Irqchip nor Msi.",
                recommendedAction: "Set Type to Irqchip (with Irqchip and Pin) or Msi (with Address and Data).");
        }
        if (route.Type == GsiRouteType.Irqchip && vm.Kernel.Architecture == CpuArchitecture.X86_64
            && (route.Irqchip >= X86PinCounts.Length || route.Pin >= X86PinCounts[route.Irqchip]))
        {
            throw new KvmPSException("InvalidIrqchipPin", ErrorKind.InvalidArgument,
                $"{route}: x86's in-kernel irqchip has irqchip 0 and 1 (PICs, pins 0-7) and 2 (IOAPIC, pins 0-23).",
                recommendedAction: "Use Irqchip 0 or 1 with Pin 0-7, or Irqchip 2 with Pin 0-23.");
        }
    }

    private static void Write(Span<byte> row, CStructLayout entry, string member, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(row[entry.OffsetOf(member)..], value);
}
