using KvmPS.Interop;

namespace KvmPS.Kvm.Ppc;

/// <summary>
/// The DMA window a TCE table translates, in the kernel's units (kvm_create_spapr_tce_64): IOMMU pages of
/// 1 &lt;&lt; <see cref="PageShift"/> bytes, the window starting <see cref="Offset"/> pages into the I/O bus and
/// <see cref="Size"/> pages (= entries) long.
/// </summary>
public sealed record SpaprTceWindow(ulong Liobn, int PageShift, ulong Offset, ulong Size)
{
    /// <summary>The 4 KiB TCE page of the 32-bit KVM_CREATE_SPAPR_TCE (IOMMU_PAGE_SHIFT_4K).</summary>
    public const int LegacyPageShift = 12;
    public const int MinPageShift = 12;
    public const int MaxPageShift = 34;

    public ulong PageSize => 1UL << PageShift;
    public ulong BusOffset => Offset << PageShift;
    public ulong WindowSize => Size << PageShift;
    public ulong EntryCount => Size;

    /// <summary>True when the 32-bit ioctl can express the window: 4 KiB pages, bus offset 0, a window_size that fits 32 bits.</summary>
    public bool FitsLegacyForm => PageShift == LegacyPageShift && Offset == 0 && WindowSize <= uint.MaxValue;

    /// <summary>The 32-bit form's window: <paramref name="windowSize"/> bytes of 4 KiB pages at bus offset 0 (api.txt 4.62).</summary>
    public static SpaprTceWindow FromWindowSize(ulong liobn, ulong windowSize)
    {
        if (windowSize == 0 || windowSize % (1UL << LegacyPageShift) != 0)
        {
            throw KvmPSException.InvalidArgument("InvalidTceWindowSize",
                $"TCE window size 0x{windowSize:X} must be a non-zero multiple of 4 KiB: the table holds one entry per 4 KiB of the window (api.txt 4.62).");
        }
        return new SpaprTceWindow(liobn, LegacyPageShift, 0, windowSize >> LegacyPageShift);
    }

    /// <summary>The 64-bit form's window, checked as kvm_vm_ioctl_create_spapr_tce checks it.</summary>
    public static SpaprTceWindow FromPages(ulong liobn, int pageShift, ulong offset, ulong size)
    {
        if (pageShift < MinPageShift || pageShift > MaxPageShift)
        {
            throw KvmPSException.InvalidArgument("InvalidTcePageShift",
                $"IOMMU page shift {pageShift} is outside {MinPageShift}..{MaxPageShift} (4 KiB to 16 GiB pages), the range the kernel accepts.");
        }
        if (size == 0)
        {
            throw KvmPSException.InvalidArgument("InvalidTceWindowSize", "A TCE window needs at least one IOMMU page (Size is counted in pages).");
        }
        ulong limit = ulong.MaxValue >> pageShift;
        if (offset > limit || size > limit - offset)
        {
            throw KvmPSException.InvalidArgument("TceWindowOverflow",
                $"Offset {offset} + size {size} pages of 2^{pageShift} bytes run past the end of the 64-bit I/O bus; offset + size must not exceed 0x{limit:X}.");
        }
        return new SpaprTceWindow(liobn, pageShift, offset, size);
    }

    public override string ToString() =>
        $"LIOBN 0x{Liobn:X}: 0x{BusOffset:X}+0x{WindowSize:X} in {EntryCount} pages of 2^{PageShift} bytes";
}
