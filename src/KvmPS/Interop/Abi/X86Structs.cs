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

    private static CStructLayout CpuidEntry2Layout() => CStructLayout.Struct("kvm_cpuid_entry2")
        .U32("function").U32("index").U32("flags").U32("eax").U32("ebx").U32("ecx").U32("edx").U32("padding", 3)
        .Build();
}
