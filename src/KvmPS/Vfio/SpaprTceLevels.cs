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
}
