using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm;

/// <summary>kvm_userspace_memory_region.flags (api.txt 4.35).</summary>
[JsonConverter(typeof(StringEnumConverter))]
[Flags]
public enum MemoryRegionFlags : uint
{
    None = 0,
    LogDirtyPages = 1 << 0,
    ReadOnly = 1 << 1,
    /// <summary>KVM_MEM_GUEST_MEMFD (Linux 6.8): the slot's memory is also backed by a guest_memfd (KVM_SET_USER_MEMORY_REGION2).</summary>
    GuestMemfd = 1 << 2,
}
