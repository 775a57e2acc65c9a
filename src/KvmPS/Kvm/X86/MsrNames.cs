using KvmPS.Interop;

namespace KvmPS.Kvm.X86;

/// <summary>Architectural MSRs by the names of the Intel SDM (vol. 4) and the AMD APM, for display and -Name.</summary>
public static class MsrNames
{
    private static readonly (uint Index, string Name)[] s_known =
    [
        (0x10, "IA32_TSC"),
        (0x1b, "IA32_APIC_BASE"),
        (0x3a, "IA32_FEATURE_CONTROL"),
        (0x3b, "IA32_TSC_ADJUST"),
        (0x48, "IA32_SPEC_CTRL"),
        (0x8b, "IA32_BIOS_SIGN_ID"),
        (0xe7, "IA32_MPERF"),
        (0xe8, "IA32_APERF"),
        (0xfe, "IA32_MTRRCAP"),
        (0x10a, "IA32_ARCH_CAPABILITIES"),
        (0x174, "IA32_SYSENTER_CS"),
        (0x175, "IA32_SYSENTER_ESP"),
        (0x176, "IA32_SYSENTER_EIP"),
        (0x179, "IA32_MCG_CAP"),
        (0x17a, "IA32_MCG_STATUS"),
        (0x1a0, "IA32_MISC_ENABLE"),
        (0x1d9, "IA32_DEBUGCTL"),
        (0x2ff, "IA32_MTRR_DEF_TYPE"),
        (0x277, "IA32_PAT"),
        (0x6e0, "IA32_TSC_DEADLINE"),
        (0xc0000080, "IA32_EFER"),
        (0xc0000081, "STAR"),
        (0xc0000082, "LSTAR"),
        (0xc0000083, "CSTAR"),
        (0xc0000084, "SFMASK"),
        (0xc0000100, "FS_BASE"),
        (0xc0000101, "GS_BASE"),
        (0xc0000102, "KERNEL_GS_BASE"),
        (0xc0000103, "TSC_AUX"),
        (0x4b564d00, "KVM_WALL_CLOCK_NEW"),
        (0x4b564d01, "KVM_SYSTEM_TIME_NEW"),
        (0x4b564d02, "KVM_ASYNC_PF_EN"),
        (0x4b564d03, "KVM_STEAL_TIME"),
        (0x4b564d04, "KVM_PV_EOI_EN"),
        (0x4b564d05, "KVM_POLL_CONTROL"),
    ];

    private static readonly Dictionary<uint, string> s_byIndex = s_known.ToDictionary(k => k.Index, k => k.Name);
    private static readonly Dictionary<string, uint> s_byName = s_known.ToDictionary(k => k.Name, k => k.Index, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> All => s_known.Select(k => k.Name);

    /// <summary>The known name, or null.</summary>
    public static string? NameOf(uint index) => s_byIndex.GetValueOrDefault(index);

    /// <summary>The index of a known name (IA32_ may be left off), or an error listing the names there are.</summary>
    public static uint IndexOf(string name) =>
        s_byName.TryGetValue(name, out uint index) || s_byName.TryGetValue("IA32_" + name, out index)
            ? index
            : throw new KvmPSException("UnknownMsrName", ErrorKind.InvalidArgument,
                $"'{name}' is not an MSR name KvmPS knows. Known names: {string.Join(", ", All)}; other MSRs go by number.");
}
