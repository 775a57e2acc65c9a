using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_msr_filter_range (x86 asm/kvm.h): a bit set in the bitmap allows the operations in flags for base + bit.</summary>
[CStruct("kvm_msr_filter_range")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmMsrFilterRange
{
    public const uint FlagRead = 1 << 0;
    public const uint FlagWrite = 1 << 1;

    public uint Flags;
    public uint Nmsrs;
    public uint Base;
    public ulong Bitmap;
}

/// <summary>KVM_MSR_FILTER_MAX_RANGES ranges.</summary>
[InlineArray(KvmMsrFilter.MaxRanges)]
internal struct KvmMsrFilterRanges
{
    private KvmMsrFilterRange _element;
}

/// <summary>struct kvm_msr_filter for KVM_X86_SET_MSR_FILTER (api.rst 4.126); ranges with nmsrs 0 are unused.</summary>
[CStruct("kvm_msr_filter")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmMsrFilter
{
    public const int MaxRanges = 16;
    public const uint FlagDefaultDeny = 1 << 0;

    /// <summary>KVM_MSR_FILTER_MAX_BITMAP_SIZE: the bytes one range's bitmap may have.</summary>
    public const int MaxBitmapBytes = 0x600;

    public uint Flags;
    public KvmMsrFilterRanges Ranges;
}
