using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.X86;

/// <summary>
/// KVM_X86_SET_MSR_FILTER (api.rst 4.126, KVM_CAP_X86_MSR_FILTER) and user-space MSR exits (KVM_CAP_X86_USER_SPACE_MSR,
/// api.rst 7.21): a denied guest RDMSR/WRMSR injects #GP, or, with exits for the filter enabled, stops the vCPU with
/// KVM_EXIT_X86_RDMSR/WRMSR for user space to answer.
/// </summary>
internal static class X86MsrFilter
{
    /// <summary>KVM_MSR_EXIT_REASON_FILTER.</summary>
    public const ulong ExitOnFilter = 1 << 2;

    /// <summary>Replaces the VM's filter; no ranges and no default deny allow everything again.</summary>
    public static unsafe void Set(KvmVm vm, IReadOnlyList<MsrFilterRange> ranges, bool defaultDeny)
    {
        vm.RequireCapability(KvmCapability.X86MsrFilter, "MSR filtering (KVM_X86_SET_MSR_FILTER)");
        Check(ranges);
        var handles = new List<GCHandle>();
        try
        {
            var filter = new KvmMsrFilter { Flags = defaultDeny ? KvmMsrFilter.FlagDefaultDeny : 0 };
            for (int i = 0; i < ranges.Count; i++)
            {
                MsrFilterRange range = ranges[i];
                byte[] bitmap = new byte[(range.Count + 7) / 8];
                range.Allowed?.AsSpan(0, Math.Min(range.Allowed.Length, bitmap.Length)).CopyTo(bitmap);
                GCHandle pinned = GCHandle.Alloc(bitmap, GCHandleType.Pinned);
                handles.Add(pinned);
                filter.Ranges[i] = new KvmMsrFilterRange
                {
                    Flags = (uint)range.Access,
                    Nmsrs = range.Count,
                    Base = range.Base,
                    Bitmap = (ulong)pinned.AddrOfPinnedObject(),
                };
            }
            vm.Handle.Ioctl(KvmVmIoctls.X86SetMsrFilter, ref filter, errno => errno == Errno.EINVAL
                ? "The kernel refused the filter: ranges must not be empty, flags only read and write, and each bitmap at most 0x600 bytes."
                : null);
        }
        finally
        {
            handles.ForEach(h => h.Free());
        }
    }

    /// <summary>KVM_ENABLE_CAP(KVM_CAP_X86_USER_SPACE_MSR) with the filter as the reason: denied accesses exit to user space.</summary>
    public static void ExitToUserSpace(KvmVm vm) => vm.EnableCapability(KvmCapability.X86UserSpaceMsr, [ExitOnFilter]);

    private static void Check(IReadOnlyList<MsrFilterRange> ranges)
    {
        if (ranges.Count > KvmMsrFilter.MaxRanges)
        {
            throw KvmPSException.InvalidArgument("TooManyMsrFilterRanges", $"An MSR filter has at most {KvmMsrFilter.MaxRanges} ranges (KVM_MSR_FILTER_MAX_RANGES); got {ranges.Count}.");
        }
        foreach (MsrFilterRange range in ranges)
        {
            if (range.Count == 0 || (range.Count + 7) / 8 > KvmMsrFilter.MaxBitmapBytes)
            {
                throw KvmPSException.InvalidArgument("InvalidMsrFilterRange",
                    $"The range at 0x{range.Base:X} has {range.Count} MSRs; a range covers 1 to {KvmMsrFilter.MaxBitmapBytes * 8} (KVM_MSR_FILTER_MAX_BITMAP_SIZE bytes of bitmap).");
            }
            if ((ulong)range.Base + range.Count > uint.MaxValue + 1UL)
            {
                throw KvmPSException.InvalidArgument("InvalidMsrFilterRange", $"The range at 0x{range.Base:X} of {range.Count} MSRs runs past MSR 0xFFFFFFFF.");
            }
            if (range.Access == 0 || (range.Access & ~MsrFilterAccess.ReadWrite) != 0)
            {
                throw KvmPSException.InvalidArgument("InvalidMsrFilterRange", $"The range at 0x{range.Base:X} must govern reads, writes or both.");
            }
        }
    }
}
