namespace KvmPS.Interop.Abi;

/// <summary>
/// kvm_regs and kvm_sregs (api.txt 4.11-4.14) live in each architecture's asm/kvm.h and differ between them.
/// The register cmdlets decode them generically through these layouts, so an architecture is supported by
/// declaring its layout here, every member under the header's own name.
/// </summary>
internal static class RegisterStructs
{
    public static readonly KernelStruct Regs = KernelStruct.PerArchitecture("kvm_regs", arch => arch switch
    {
        CpuArchitecture.X86_64 => X86Regs(),
        CpuArchitecture.Aarch64 => Arm64Regs(),
        CpuArchitecture.PowerPC64LE => PowerPCRegs(),
        CpuArchitecture.S390x => S390Regs(),
        _ => null,
    });

    /// <summary>
    /// No common member to check here: the member test compares every member of each architecture's layout
    /// with its header instead.
    /// </summary>
    public static readonly KernelStruct Sregs = KernelStruct.PerArchitecture("kvm_sregs", arch => arch switch
    {
        CpuArchitecture.X86_64 => X86Sregs(),
        CpuArchitecture.Aarch64 => Arm64Sregs(),
        CpuArchitecture.PowerPC64LE => PowerPCSregs(),
        CpuArchitecture.S390x => S390Sregs(),
        _ => null,
    });

    public static readonly KernelStruct X86Segment = KernelStruct.On(ArchitectureSet.X86_64, X86SegmentLayout());
    public static readonly KernelStruct X86Dtable = KernelStruct.On(ArchitectureSet.X86_64, X86DtableLayout());

    /// <summary>The GCC/Clang 128-bit integer of aarch64's struct user_fpsimd_state, aligned to 16 bytes there.</summary>
    private static readonly CPrimitive UInt128 = new("__uint128_t", 16);

    private static CStructLayout X86Regs() => CStructLayout.Struct("kvm_regs")
        .U64("rax").U64("rbx").U64("rcx").U64("rdx").U64("rsi").U64("rdi").U64("rsp").U64("rbp")
        .U64("r8").U64("r9").U64("r10").U64("r11").U64("r12").U64("r13").U64("r14").U64("r15")
        .U64("rip").U64("rflags")
        .Build();

    private static CStructLayout X86SegmentLayout() => CStructLayout.Struct("kvm_segment")
        .U64("base").U32("limit").U16("selector").U8("type")
        .U8("present").U8("dpl").U8("db").U8("s").U8("l").U8("g").U8("avl")
        .U8("unusable").U8("padding")
        .Build();

    private static CStructLayout X86DtableLayout() => CStructLayout.Struct("kvm_dtable")
        .U64("base").U16("limit").U16("padding", 3)
        .Build();

    /// <summary>KVM_NR_INTERRUPTS is 256, so interrupt_bitmap holds (256 + 63) / 64 words.</summary>
    private static CStructLayout X86Sregs()
    {
        CStructLayout segment = X86SegmentLayout();
        CStructLayout dtable = X86DtableLayout();
        return CStructLayout.Struct("kvm_sregs")
            .Member("cs", segment).Member("ds", segment).Member("es", segment).Member("fs", segment)
            .Member("gs", segment).Member("ss", segment).Member("tr", segment).Member("ldt", segment)
            .Member("gdt", dtable).Member("idt", dtable)
            .U64("cr0").U64("cr2").U64("cr3").U64("cr4").U64("cr8").U64("efer").U64("apic_base")
            .U64("interrupt_bitmap", 4)
            .Build();
    }

    /// <summary>
    /// arm64 KVM rejects KVM_GET_REGS and KVM_GET_SREGS (registers go through KVM_GET_ONE_REG, whose ids are
    /// offsets into this struct), but asm/kvm.h declares both, so the ioctls have numbers there.
    /// </summary>
    private static CStructLayout Arm64Regs()
    {
        CStructLayout userPtRegs = CStructLayout.Struct("user_pt_regs")
            .U64("regs", 31).U64("sp").U64("pc").U64("pstate")
            .Build();
        CStructLayout userFpsimdState = CStructLayout.Struct("user_fpsimd_state")
            .Scalar("vregs", UInt128, 32).U32("fpsr").U32("fpcr").U32("__reserved", 2)
            .Build();
        return CStructLayout.Struct("kvm_regs")
            .Member("regs", userPtRegs)
            .U64("sp_el1").U64("elr_el1")
            .U64("spsr", 5) // KVM_NR_SPSR
            .Member("fp_regs", userFpsimdState)
            .Build();
    }

    /// <summary>An empty struct: GNU C gives it size 0, so _IOR(KVMIO, 0x83, struct kvm_sregs) encodes size 0.</summary>
    private static CStructLayout Arm64Sregs() => CStructLayout.Struct("kvm_sregs").Build();

    private static CStructLayout PowerPCRegs() => CStructLayout.Struct("kvm_regs")
        .U64("pc").U64("cr").U64("ctr").U64("lr").U64("xer").U64("msr").U64("srr0").U64("srr1").U64("pid")
        .U64("sprg0").U64("sprg1").U64("sprg2").U64("sprg3").U64("sprg4").U64("sprg5").U64("sprg6").U64("sprg7")
        .U64("gpr", 32)
        .Build();

    /// <summary>
    /// Book3S (u.s) and BookE (u.e) views of the special registers. u.pad[1020] is smaller than u.s, so the
    /// union, and the struct, are sized by u.s.
    /// </summary>
    private static CStructLayout PowerPCSregs()
    {
        CStructLayout slbEntry = CStructLayout.Struct("slb").U64("slbe").U64("slbv").Build();
        CStructLayout book3s = CStructLayout.Struct("s")
            .U64("sdr1")
            .Member("ppc64", CStructLayout.Struct("ppc64").Member("slb", slbEntry, 64).Build())
            .Member("ppc32", CStructLayout.Struct("ppc32").U32("sr", 16).U64("ibat", 8).U64("dbat", 8).Build())
            .Build();
        CStructLayout fsl = CStructLayout.Struct("fsl")
            .U32("features").U32("svr").U64("mcar").U32("hid0").U32("pid1").U32("pid2")
            .Build();
        CStructLayout booke = CStructLayout.Struct("e")
            .Member("impl", CStructLayout.Union("impl").Member("fsl", fsl).U8("pad", 256).Build())
            .U32("features").U32("impl_id").U32("update_special").U32("pir")
            .U64("sprg8").U64("sprg9").U64("csrr0").U64("dsrr0").U64("mcsrr0")
            .U32("csrr1").U32("dsrr1").U32("mcsrr1").U32("esr")
            .U64("dear").U64("ivpr").U64("mcivpr").U64("mcsr")
            .U32("tsr").U32("tcr").U32("decar").U32("dec")
            .U64("tb")
            .U32("dbsr").U32("dbcr", 3).U32("iac", 4).U32("dac", 2).U32("dvc", 2)
            .U8("num_iac").U8("num_dac").U8("num_dvc").U8("pad")
            .U32("epr").U32("vrsave").U32("epcr")
            .U32("mas0").U32("mas1").U64("mas2").U64("mas7_3").U32("mas4").U32("mas6")
            .U32("ivor_low", 16).U32("ivor_high", 18)
            .U32("mmucfg").U32("eptcfg").U32("tlbcfg", 4).U32("tlbps", 4)
            .U32("eplc").U32("epsc")
            .Build();
        return CStructLayout.Struct("kvm_sregs")
            .U32("pvr")
            .Member("u", CStructLayout.Union("u").Member("s", book3s).Member("e", booke).U8("pad", 1020).Build())
            .Build();
    }

    private static CStructLayout S390Regs() => CStructLayout.Struct("kvm_regs")
        .U64("gprs", 16)
        .Build();

    private static CStructLayout S390Sregs() => CStructLayout.Struct("kvm_sregs")
        .U32("acrs", 16).U64("crs", 16)
        .Build();
}
