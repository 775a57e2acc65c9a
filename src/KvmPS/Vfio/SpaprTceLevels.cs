using System.Numerics;

namespace KvmPS.Vfio;

/// <summary>
/// How many levels a window's TCE table should be split into when the caller does not say. This follows QEMU's
/// hw/vfio/spapr.c: the table needs log2(entries * 8) index bits; each level can safely take log2(host page) + 8 bits
/// (the smallest MAX_ORDER allocation); on failure (host memory fragmentation) creation is retried with one more level
/// up to (64 - page shift) / log2(host page), further capped by the platform's ddw.levels.
/// </summary>
public static class SpaprTceLevels
{
    /// <summary>Bits 55 and up of a TCE bus address are reserved on PowerNV IODA2 hardware.</summary>
    public const int BusAddressBits = 55;

    public static (int First, int Max) Estimate(int pageShift, ulong windowSize, int hostPageSize, int platformMaxLevels)
    {
        ulong entries = windowSize >> pageShift;
        int bitsTotal = BitOperations.TrailingZeroCount(Math.Max(entries, 1) * sizeof(ulong));
        int hostPageShift = BitOperations.TrailingZeroCount((uint)hostPageSize);
        int bitsPerLevel = hostPageShift + 8;
        int first = Math.Max(1, (bitsTotal + bitsPerLevel - 1) / bitsPerLevel);
        int max = (64 - pageShift) / hostPageShift;
        if (platformMaxLevels > 0)
        {
            max = Math.Min(max, platformMaxLevels);
        }
        return (Math.Min(first, Math.Max(max, 1)), Math.Max(max, 1));
    }

    /// <summary>
    /// The bus-address bits a table of <paramref name="levels"/> levels indexes, as pnv_pci_ioda2_table_alloc_pages
    /// computes them: the entry bits are split evenly over the levels, each level is at least one host page (so with
    /// small windows or many levels each level indexes log2(host page) - 3 bits), plus the IOMMU page offset. The kernel
    /// refuses the table with EINVAL when this reaches <see cref="BusAddressBits"/>; more levels never lower it once the
    /// per-level size is clamped to the host page, which is why retrying with more levels cannot cure that EINVAL.
    /// </summary>
    public static int IndexedBits(int pageShift, ulong windowSize, int levels, int hostPageSize)
    {
        int entriesShift = BitOperations.Log2(windowSize) - pageShift;
        int perLevel = (entriesShift + levels - 1) / levels;
        int levelShift = Math.Max(perLevel + 3, BitOperations.TrailingZeroCount((uint)hostPageSize));
        return (levelShift - 3) * levels + pageShift;
    }

    public static bool FitsBusAddress(int pageShift, ulong windowSize, int levels, int hostPageSize) =>
        IndexedBits(pageShift, windowSize, levels, hostPageSize) < BusAddressBits;
}
