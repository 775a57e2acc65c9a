namespace KvmPS.Interop.Abi;

/// <summary>
/// x86 vCPU state structs for save and restore. kvm_msr_list, kvm_msrs, kvm_xsave, kvm_xcrs, kvm_debugregs and
/// kvm_lapic_state exist only in x86's asm/kvm.h; kvm_fpu is in every architecture's asm/kvm.h (arm64's is empty)
/// and kvm_vcpu_events in x86's and arm64's, with different members.
/// </summary>
internal static class X86StateStructs
{
    /// <summary>nmsrs in (capacity) and out (count); indices[] is a flexible array (api.txt 4.3).</summary>
    public static readonly KernelStruct MsrList = KernelStruct.On(ArchitectureSet.X86_64,
        CStructLayout.Struct("kvm_msr_list").U32("nmsrs").FlexibleArray("indices", CPrimitive.U32).Build(),
        "nmsrs", "indices");

    public static readonly KernelStruct MsrEntry = KernelStruct.On(ArchitectureSet.X86_64, MsrEntryLayout(),
        "index", "data");

    /// <summary>nmsrs entries follow the header (api.txt 4.18, 4.19).</summary>
    public static readonly KernelStruct Msrs = KernelStruct.On(ArchitectureSet.X86_64,
        CStructLayout.Struct("kvm_msrs").U32("nmsrs").U32("pad").FlexibleArray("entries", MsrEntryLayout()).Build(),
        "nmsrs", "entries");

    /// <summary>
    /// x86's fpr[8][16] and xmm[16][16] byte matrices are declared as 64-bit halves: the same offsets and sizes,
    /// and the state views show each 128-bit register as two words.
    /// </summary>
    public static readonly KernelStruct Fpu = KernelStruct.PerArchitecture("kvm_fpu", arch => arch switch
    {
        CpuArchitecture.X86_64 => CStructLayout.Struct("kvm_fpu")
            .U64("fpr", 16).U16("fcw").U16("fsw").U8("ftwx").U8("pad1").U16("last_opcode")
            .U64("last_ip").U64("last_dp").U64("xmm", 32).U32("mxcsr").U32("pad2")
            .Build(),
        CpuArchitecture.Aarch64 => CStructLayout.Struct("kvm_fpu").Build(),
        CpuArchitecture.PowerPC64LE => CStructLayout.Struct("kvm_fpu").U64("fpr", 32).Build(),
        CpuArchitecture.S390x => CStructLayout.Struct("kvm_fpu").U32("fpc").U64("fprs", 16).Build(),
        _ => null,
    });

    /// <summary>4096 bytes of XSAVE area; KVM_GET_XSAVE2 fills as many more as KVM_CAP_XSAVE2 reports (api.txt 4.42, 4.135).</summary>
    public static readonly KernelStruct Xsave = KernelStruct.On(ArchitectureSet.X86_64,
        CStructLayout.Struct("kvm_xsave").U32("region", 1024).FlexibleArray("extra", CPrimitive.U32).Build(),
        "region", "extra");

    /// <summary>KVM_MAX_XCRS is 16 (api.txt 4.44).</summary>
    public static readonly KernelStruct Xcrs = KernelStruct.On(ArchitectureSet.X86_64,
        CStructLayout.Struct("kvm_xcrs")
            .U32("nr_xcrs").U32("flags")
            .Member("xcrs", CStructLayout.Struct("kvm_xcr").U32("xcr").U32("reserved").U64("value").Build(), 16)
            .U64("padding", 16)
            .Build(),
        "nr_xcrs", "xcrs");

    public static readonly KernelStruct VcpuEvents = KernelStruct.PerArchitecture("kvm_vcpu_events", arch => arch switch
    {
        CpuArchitecture.X86_64 => X86VcpuEvents(),
        CpuArchitecture.Aarch64 => CStructLayout.Struct("kvm_vcpu_events")
            .Member("exception", CStructLayout.Struct("exception")
                .U8("serror_pending").U8("serror_has_esr").U8("ext_dabt_pending").U8("pad", 5).U64("serror_esr").Build())
            .U32("reserved", 12)
            .Build(),
        _ => null,
    });

    public static readonly KernelStruct DebugRegs = KernelStruct.On(ArchitectureSet.X86_64,
        CStructLayout.Struct("kvm_debugregs").U64("db", 4).U64("dr6").U64("dr7").U64("flags").U64("reserved", 9).Build(),
        "db", "dr6", "dr7");

    /// <summary>KVM_APIC_REG_SIZE is 0x400: the local APIC's register page as the guest sees it (api.txt 4.57).</summary>
    public static readonly KernelStruct LapicState = KernelStruct.On(ArchitectureSet.X86_64,
        CStructLayout.Struct("kvm_lapic_state").U8("regs", 1024).Build(),
        "regs");

    private static CStructLayout MsrEntryLayout() => CStructLayout.Struct("kvm_msr_entry")
        .U32("index").U32("reserved").U64("data")
        .Build();

    private static CStructLayout X86VcpuEvents() => CStructLayout.Struct("kvm_vcpu_events")
        .Member("exception", CStructLayout.Struct("exception")
            .U8("injected").U8("nr").U8("has_error_code").U8("pending").U32("error_code").Build())
        .Member("interrupt", CStructLayout.Struct("interrupt").U8("injected").U8("nr").U8("soft").U8("shadow").Build())
        .Member("nmi", CStructLayout.Struct("nmi").U8("injected").U8("pending").U8("masked").U8("pad").Build())
        .U32("sipi_vector").U32("flags")
        .Member("smi", CStructLayout.Struct("smi").U8("smm").U8("pending").U8("smm_inside_nmi").U8("latched_init").Build())
        .Member("triple_fault", CStructLayout.Struct("triple_fault").U8("pending").Build())
        .U8("reserved", 26).U8("exception_has_payload").U64("exception_payload")
        .Build();
}
