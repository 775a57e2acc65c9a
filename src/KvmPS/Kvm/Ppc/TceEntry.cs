using KvmPS.Interop;

namespace KvmPS.Kvm.Ppc;

/// <summary>
/// One 64-bit translation control entry of a TCE table, decoded as PAPR defines it and the kernel uses it
/// (arch/powerpc/kvm/book3s_64_vio.c): bits 63..12 the real page number in 4 KiB units whatever the IOMMU page
/// size, bit 1 write permission (TCE_PCI_WRITE), bit 0 read permission (TCE_PCI_READ). Neither bit set means
/// no translation (the kernel's DMA_NONE).
/// </summary>
public sealed record TceEntry(int VmId, ulong Liobn, ulong Index, ulong IoBusAddress, ulong Value)
{
    public const ulong ReadBit = 1;
    public const ulong WriteBit = 2;
    private const int RealPageShift = 12;
    private const ulong RealPageMask = (1UL << RealPageShift) - 1;

    public bool Read => (Value & ReadBit) != 0;
    public bool Write => (Value & WriteBit) != 0;
    public bool IsMapped => Read || Write;
    public ulong RealPageNumber => Value >> RealPageShift;
    public ulong RealAddress => Value & ~RealPageMask;
    public string Hex => $"0x{Value:X16}";

    /// <summary>The entry value for a guest real address with the given permissions.</summary>
    public static ulong Encode(ulong realAddress, bool read, bool write)
    {
        if ((realAddress & RealPageMask) != 0)
        {
            throw KvmPSException.InvalidArgument("TceAddressNotAligned",
                $"Real address 0x{realAddress:X} is not 4 KiB aligned; a TCE holds a real page number, not a byte address.");
        }
        return realAddress | (read ? ReadBit : 0) | (write ? WriteBit : 0);
    }

    public override string ToString() =>
        $"LIOBN 0x{Liobn:X} [{Index}] 0x{IoBusAddress:X} -> {(IsMapped ? $"0x{RealAddress:X} {(Read ? "R" : "")}{(Write ? "W" : "")}" : "unmapped")}";
}
