using KvmPS.Interop;

namespace KvmPS.Kvm;

/// <summary>
/// A range of guest-physical, vCPU, host or IOVA addresses: the one place for the wrap, overlap and containment
/// arithmetic that memory slots, UCAS mappings, device frames and DMA windows share.
/// </summary>
internal readonly record struct AddressRange(ulong Start, ulong Size)
{
    /// <summary>The first address after the range (meaningful when the range does not wrap).</summary>
    public ulong End => Start + Size;

    public ulong Last => Start + Size - 1;

    /// <summary>start + size overflows: the test __kvm_set_memory_region and its peers make before anything else.</summary>
    public bool Wraps => Start + Size < Start;

    public bool Overlaps(AddressRange other) => Start < other.End && other.Start < End;

    public bool Contains(AddressRange inner) =>
        inner.Start >= Start && inner.Size <= Size && inner.Start - Start <= Size - inner.Size;

    /// <summary>Refuses a range that wraps around the address space, naming it as <paramref name="what"/>.</summary>
    public AddressRange ThrowIfWraps(string errorId, string what) => Wraps
        ? throw KvmPSException.InvalidArgument(errorId, $"{what} 0x{Start:X}+0x{Size:X} wraps around the address space.")
        : this;

    public override string ToString() => $"0x{Start:X}-0x{Last:X}";
}
