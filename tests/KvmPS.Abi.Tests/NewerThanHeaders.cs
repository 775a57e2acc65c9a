using KvmPS.Interop;

namespace KvmPS.Abi.Tests;

/// <summary>
/// The one exemption from "the installed headers decide": declarations the module makes from a Linux uapi newer than
/// the installed headers (Linux 6.1 on Debian 12), which the probe therefore cannot compile. Each is listed with the
/// kernel that added it and the value that kernel's include/uapi/linux/kvm.h gives, per architecture (the request
/// numbers were computed by each architecture's gcc from the 6.8 definitions, as the probe would). Every test that
/// compares the module with the headers takes these values for these keys, and only while the installed headers do
/// not define the key: NewerThanHeadersTests fails as soon as the headers do (delete the entry; the normal checks then
/// cover it) and for an entry the module no longer declares.
/// </summary>
public static class NewerThanHeaders
{
    private const ulong SetUserMemoryRegion2Generic = 1084272201;   // _IOW(KVMIO, 0x49, 160 bytes), asm-generic encoding
    private const ulong SetUserMemoryRegion2Powerpc = 2158014025;   // the same with powerpc's direction bits
    private const ulong CreateGuestMemfd = 3225464532;              // _IOWR(KVMIO, 0xd4, 64 bytes), the same on all four

    /// <summary>Linux 6.8: KVM_SET_USER_MEMORY_REGION2, KVM_CREATE_GUEST_MEMFD and their structs (generic linux/kvm.h).</summary>
    private static readonly (string Key, ulong Value)[] s_linux68 =
    [
        ("ioctl KVM_CREATE_GUEST_MEMFD", CreateGuestMemfd),
        ("sizeof kvm_userspace_memory_region2", 160),
        ("offsetof kvm_userspace_memory_region2 slot", 0), ("membersize kvm_userspace_memory_region2 slot", 4),
        ("offsetof kvm_userspace_memory_region2 flags", 4), ("membersize kvm_userspace_memory_region2 flags", 4),
        ("offsetof kvm_userspace_memory_region2 guest_phys_addr", 8), ("membersize kvm_userspace_memory_region2 guest_phys_addr", 8),
        ("offsetof kvm_userspace_memory_region2 memory_size", 16), ("membersize kvm_userspace_memory_region2 memory_size", 8),
        ("offsetof kvm_userspace_memory_region2 userspace_addr", 24), ("membersize kvm_userspace_memory_region2 userspace_addr", 8),
        ("offsetof kvm_userspace_memory_region2 guest_memfd_offset", 32), ("membersize kvm_userspace_memory_region2 guest_memfd_offset", 8),
        ("offsetof kvm_userspace_memory_region2 guest_memfd", 40), ("membersize kvm_userspace_memory_region2 guest_memfd", 4),
        ("offsetof kvm_userspace_memory_region2 pad1", 44), ("membersize kvm_userspace_memory_region2 pad1", 4),
        ("offsetof kvm_userspace_memory_region2 pad2", 48), ("membersize kvm_userspace_memory_region2 pad2", 112),
        ("sizeof kvm_create_guest_memfd", 64),
        ("offsetof kvm_create_guest_memfd size", 0), ("membersize kvm_create_guest_memfd size", 8),
        ("offsetof kvm_create_guest_memfd flags", 8), ("membersize kvm_create_guest_memfd flags", 8),
        ("offsetof kvm_create_guest_memfd reserved", 16), ("membersize kvm_create_guest_memfd reserved", 48),
    ];

    /// <summary>The exempt keys and the newer headers' values on <paramref name="arch"/>.</summary>
    public static IReadOnlyDictionary<string, ulong> On(CpuArchitecture arch)
    {
        var values = s_linux68.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        values["ioctl KVM_SET_USER_MEMORY_REGION2"] = arch == CpuArchitecture.PowerPC64LE ? SetUserMemoryRegion2Powerpc : SetUserMemoryRegion2Generic;
        // Linux 6.8's kvm_run.memory_fault: three __u64 in the exit union, which s390 places behind psw_mask/psw_addr.
        ulong union = arch == CpuArchitecture.S390x ? 48UL : 32UL;
        values["offsetof kvm_run memory_fault"] = union;
        values["membersize kvm_run memory_fault"] = 24;
        foreach ((string member, ulong offset) in new[] { ("flags", 0UL), ("gpa", 8UL), ("size", 16UL) })
        {
            values[$"offsetof kvm_run memory_fault.{member}"] = union + offset;
            values[$"membersize kvm_run memory_fault.{member}"] = 8;
        }
        return values;   // capability numbers newer than the headers: tools/kvm-uapi-newer.txt (CapabilityNumberTests)
    }

    /// <summary>
    /// The headers' answers with the exempt values added for exempt keys the headers do not define; a key the
    /// headers define keeps the headers' value.
    /// </summary>
    public static ProbeResult Apply(CpuArchitecture arch, ProbeResult headers)
    {
        var values = new Dictionary<string, ulong>(headers.Values, StringComparer.Ordinal);
        foreach ((string key, ulong value) in On(arch))
        {
            values.TryAdd(key, value);
        }
        return new ProbeResult(headers.ProbeSource, values, headers.Errors);
    }
}
