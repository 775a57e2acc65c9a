using KvmPS.Interop.Structs;

namespace KvmPS.Interop.Abi;

/// <summary>
/// x86 CPU-setup structs. kvm_cpuid_entry2 and kvm_cpuid2 live in x86's asm/kvm.h only; kvm_mp_state and
/// kvm_pit_config in the generic linux/kvm.h, so every architecture's headers define them.
/// </summary>
internal static class X86Structs
{
    public static readonly KernelStruct CpuidEntry2 = KernelStruct.On(ArchitectureSet.X86_64, CpuidEntry2Layout(),
        "function", "index", "flags", "eax", "ebx", "ecx", "edx");

    /// <summary>nent in; entries[] is a flexible array of nent kvm_cpuid_entry2 (api.txt 4.46, 4.20).</summary>
    public static readonly KernelStruct Cpuid2 = KernelStruct.On(ArchitectureSet.X86_64,
        CStructLayout.Struct("kvm_cpuid2")
            .U32("nent").U32("padding").FlexibleArray("entries", CpuidEntry2Layout())
            .Build(),
        "nent", "entries");

    public static readonly KernelStruct MpState = KernelStruct.Everywhere(
        CStructLayout.Struct("kvm_mp_state").U32("mp_state").Build(),
        "mp_state");

    public static readonly KernelStruct MsrFilterRange = KernelStruct.Of<KvmMsrFilterRange>(ArchitectureSet.X86_64);

    public static readonly KernelStruct MsrFilter = KernelStruct.Of<KvmMsrFilter>(ArchitectureSet.X86_64);

    public static readonly KernelStruct PitConfig = KernelStruct.Of<KvmPitConfig>();

    /// <summary>The pre-CPUID2 entry: no index or flags, padding after edx (api.txt 4.20, KVM_SET_CPUID).</summary>
    public static readonly KernelStruct CpuidEntry = KernelStruct.On(ArchitectureSet.X86_64, CpuidEntryLayout(),
        "function", "eax", "ebx", "ecx", "edx", "padding");

    /// <summary>nent, then nent legacy kvm_cpuid_entry (api.txt 4.20).</summary>
    public static readonly KernelStruct Cpuid = KernelStruct.On(ArchitectureSet.X86_64,
        CStructLayout.Struct("kvm_cpuid").U32("nent").U32("padding").FlexibleArray("entries", CpuidEntryLayout()).Build(),
        "nent", "entries");

    /// <summary>One machine-check event (KVM_X86_SET_MCE); linux/kvm.h declares it only where KVM_CAP_MCE is, on x86.</summary>
    public static readonly KernelStruct X86Mce = KernelStruct.Of<KvmX86Mce>(ArchitectureSet.X86_64);

    private static CStructLayout CpuidEntryLayout() => CStructLayout.Struct("kvm_cpuid_entry")
        .U32("function").U32("eax").U32("ebx").U32("ecx").U32("edx").U32("padding")
        .Build();

    /// <summary>One i8254 counter (x86's asm/kvm.h), read and written by member name.</summary>
    public static readonly KernelStruct PitChannelState = KernelStruct.On(ArchitectureSet.X86_64, PitChannelStateLayout(),
        "count", "latched_count", "count_latched", "status_latched", "status", "read_state", "write_state",
        "write_latch", "rw_mode", "mode", "bcd", "gate", "count_load_time");

    /// <summary>KVM_GET_PIT2 / KVM_SET_PIT2 (api.txt 4.72, 4.73): the three counters, flags and reserved words.</summary>
    public static readonly KernelStruct PitState2 = KernelStruct.On(ArchitectureSet.X86_64,
        CStructLayout.Struct("kvm_pit_state2").Member("channels", PitChannelStateLayout(), 3).U32("flags").U32("reserved", 9).Build(),
        "channels", "flags", "reserved");

    /// <summary>KVM_XEN_HVM_CONFIG (api.txt 4.28); linux/kvm.h defines it only under __KVM_HAVE_XEN_HVM (x86).</summary>
    public static readonly KernelStruct XenHvmConfig = KernelStruct.Of<KvmXenHvmConfig>(ArchitectureSet.X86_64);

    private static CStructLayout PitChannelStateLayout() => CStructLayout.Struct("kvm_pit_channel_state")
        .U32("count").U16("latched_count").U8("count_latched").U8("status_latched").U8("status").U8("read_state")
        .U8("write_state").U8("write_latch").U8("rw_mode").U8("mode").U8("bcd").U8("gate").S64("count_load_time")
        .Build();

    private static CStructLayout CpuidEntry2Layout() => CStructLayout.Struct("kvm_cpuid_entry2")
        .U32("function").U32("index").U32("flags").U32("eax").U32("ebx").U32("ecx").U32("edx").U32("padding", 3)
        .Build();
}
