namespace KvmPS.Interop.Abi;

/// <summary>Structs of linux/kvm.h that are the same on every architecture.</summary>
public static class KvmStructs
{
    public static readonly KernelStruct UserspaceMemoryRegion = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_userspace_memory_region")
            .U32("slot").U32("flags").U64("guest_phys_addr").U64("memory_size").U64("userspace_addr")
            .Build());

    public static readonly KernelStruct EnableCap = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_enable_cap")
            .U32("cap").U32("flags").U64("args", 4).U8("pad", 64)
            .Build());

    public static readonly KernelStruct CreateDevice = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_create_device")
            .U32("type").U32("fd").U32("flags")
            .Build());

    public static readonly KernelStruct DeviceAttr = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_device_attr")
            .U32("flags").U32("group").U64("attr").U64("addr")
            .Build());

    public static readonly KernelStruct IrqLevel = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_irq_level")
            .Anonymous(CStructLayout.Union("kvm_irq_level.irq").U32("irq").S32("status").Build())
            .U32("level")
            .Build());

    public static readonly KernelStruct DirtyLog = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_dirty_log")
            .U32("slot").U32("padding1")
            .Anonymous(CStructLayout.Union("kvm_dirty_log.bitmap").U64("dirty_bitmap").U64("padding2").Build())
            .Build(),
        "dirty_bitmap");

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
}
