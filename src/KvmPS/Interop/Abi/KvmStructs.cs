using KvmPS.Interop.Structs;

namespace KvmPS.Interop.Abi;

/// <summary>Structs of linux/kvm.h that are the same on every architecture.</summary>
internal static class KvmStructs
{
    public static readonly KernelStruct UserspaceMemoryRegion = KernelStruct.Of<KvmUserspaceMemoryRegion>();

    public static readonly KernelStruct EnableCap = KernelStruct.Of<KvmEnableCap>();

    public static readonly KernelStruct CreateDevice = KernelStruct.Of<KvmCreateDevice>();

    public static readonly KernelStruct OneReg = KernelStruct.Of<KvmOneReg>();

    public static readonly KernelStruct DeviceAttr = KernelStruct.Of<KvmDeviceAttr>();

    public static readonly KernelStruct IrqLevel = KernelStruct.Of<KvmIrqLevel>();

    public static readonly KernelStruct DirtyLog = KernelStruct.Of<KvmDirtyLog>();

    /// <summary>Linux 6.8, newer than the installed headers (tests/KvmPS.Abi.Tests/NewerThanHeaders.cs holds their values).</summary>
    public static readonly KernelStruct UserspaceMemoryRegion2 = KernelStruct.Of<KvmUserspaceMemoryRegion2>();

    /// <summary>Linux 6.8, newer than the installed headers, like kvm_userspace_memory_region2.</summary>
    public static readonly KernelStruct CreateGuestMemfd = KernelStruct.Of<KvmCreateGuestMemfd>();

    public static readonly KernelStruct DirtyGfn = KernelStruct.Of<KvmDirtyGfn>();

    public static readonly KernelStruct CoalescedMmioZone = KernelStruct.Of<KvmCoalescedMmioZone>();

    public static readonly KernelStruct CoalescedMmio = KernelStruct.Of<KvmCoalescedMmio>();

    /// <summary>
    /// The ring in the vCPU mmap at page KVM_COALESCED_MMIO_PAGE_OFFSET (the value KVM_CHECK_EXTENSION returns for
    /// KVM_CAP_COALESCED_MMIO): KVM appends at last, userspace consumes from first (api.txt 4.116).
    /// </summary>
    public static readonly KernelStruct CoalescedMmioRing = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_coalesced_mmio_ring")
            .U32("first").U32("last").FlexibleArray("coalesced_mmio", ReflectedLayout.Of<KvmCoalescedMmio>())
            .Build(),
        "first", "last", "coalesced_mmio");

    /// <summary>The header at offset 0 of a binary statistics descriptor (api.rst, KVM_GET_STATS_FD).</summary>
    public static readonly KernelStruct StatsHeader = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_stats_header")
            .U32("flags").U32("name_size").U32("num_desc").U32("id_offset").U32("desc_offset").U32("data_offset")
            .Build(),
        "flags", "name_size", "num_desc", "id_offset", "desc_offset", "data_offset");

    /// <summary>One statistics descriptor; the name (name_size bytes, from the header) follows the fixed part.</summary>
    public static readonly KernelStruct StatsDesc = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_stats_desc")
            .U32("flags").S16("exponent").U16("size").U32("offset").U32("bucket_size").FlexibleArray("name", CPrimitive.U8)
            .Build(),
        "flags", "exponent", "size", "offset", "bucket_size", "name");

    public static readonly KernelStruct Translation = KernelStruct.Of<KvmTranslation>();

    /// <summary>len, then len bytes of the kernel's sigset_t (8 on the 64-bit architectures) (api.txt 4.21).</summary>
    public static readonly KernelStruct SignalMask = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_signal_mask").U32("len").FlexibleArray("sigset", CPrimitive.U8).Build(),
        "len", "sigset");

    /// <summary>
    /// kvm_guest_debug's member arch is each architecture's own kvm_guest_debug_arch (api.rst 4.59): x86's is the C#
    /// struct the module fills; the others are declared so that KVM_SET_GUEST_DEBUG has its size there too.
    /// </summary>
    public static readonly KernelStruct GuestDebug = KernelStruct.PerArchitectureEveryMember("kvm_guest_debug", arch => arch switch
    {
        CpuArchitecture.X86_64 => ReflectedLayout.Of<KvmGuestDebugX86>(),
        CpuArchitecture.Aarch64 => GuestDebugOf(CStructLayout.Struct("kvm_guest_debug_arch")
            .U64("dbg_bcr", 16).U64("dbg_bvr", 16).U64("dbg_wcr", 16).U64("dbg_wvr", 16).Build()),
        CpuArchitecture.PowerPC64LE => GuestDebugOf(CStructLayout.Struct("kvm_guest_debug_arch")
            .Member("bp", CStructLayout.Struct("bp").U64("addr").U32("type").U32("reserved").Build(), 16).Build()),
        CpuArchitecture.S390x => GuestDebugOf(CStructLayout.Struct("kvm_guest_debug_arch")
            .U32("nr_hw_bp").U32("pad").U64("hw_bp").Build()),
        _ => null,
    });

    private static CStructLayout GuestDebugOf(CStructLayout arch) =>
        CStructLayout.Struct("kvm_guest_debug").U32("control").U32("pad").Member("arch", arch).Build();
}
