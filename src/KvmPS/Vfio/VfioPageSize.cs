using System.Numerics;

namespace KvmPS.Vfio;

/// <summary>One IOMMU page size from a page-size bitmap (bit n set means 2^n-byte pages).</summary>
public sealed record VfioPageSize(int Shift)
{
    public ulong Size => 1UL << Shift;

    /// <summary>Every page size of a bitmap such as vfio_iommu_spapr_tce_ddw_info.pgsizes, smallest first.</summary>
    public static IReadOnlyList<VfioPageSize> FromMask(ulong mask)
    {
        var sizes = new List<VfioPageSize>();
        while (mask != 0)
        {
            int shift = BitOperations.TrailingZeroCount(mask);
            sizes.Add(new VfioPageSize(shift));
            mask &= mask - 1;
        }
        return sizes;
    }

    public static string Describe(ulong bytes) => bytes switch
    {
        >= 1UL << 60 when bytes % (1UL << 60) == 0 => $"{bytes >> 60}E",
        >= 1UL << 50 when bytes % (1UL << 50) == 0 => $"{bytes >> 50}P",
        >= 1UL << 40 when bytes % (1UL << 40) == 0 => $"{bytes >> 40}T",
        >= 1UL << 30 when bytes % (1UL << 30) == 0 => $"{bytes >> 30}G",
        >= 1UL << 20 when bytes % (1UL << 20) == 0 => $"{bytes >> 20}M",
        >= 1UL << 10 when bytes % (1UL << 10) == 0 => $"{bytes >> 10}K",
        _ => $"{bytes}",
    };

    public override string ToString() => $"{Describe(Size)} (shift {Shift})";
}
