namespace KvmPS.Interop.Abi;

/// <summary>
/// kvm_regs and kvm_sregs (api.txt 4.11-4.14) live in each architecture's asm/kvm.h and differ between them.
/// The register cmdlets decode them generically through these layouts, so an architecture is supported by
/// declaring its layout here.
/// </summary>
public static class RegisterStructs
{
    public static readonly KernelStruct Regs = KernelStruct.PerArchitecture("kvm_regs", arch => arch switch
    {
        CpuArchitecture.X86_64 => X86Regs(),
        _ => null,
    });

    public static readonly KernelStruct Sregs = KernelStruct.PerArchitecture("kvm_sregs", arch => arch switch
    {
        CpuArchitecture.X86_64 => X86Sregs(),
        _ => null,
    }, "cs", "ds", "cr0", "efer", "interrupt_bitmap");

    private static CStructLayout X86Regs() => CStructLayout.Struct("kvm_regs")
        .U64("rax").U64("rbx").U64("rcx").U64("rdx").U64("rsi").U64("rdi").U64("rsp").U64("rbp")
        .U64("r8").U64("r9").U64("r10").U64("r11").U64("r12").U64("r13").U64("r14").U64("r15")
        .U64("rip").U64("rflags")
        .Build();

    public static readonly KernelStruct X86Segment = KernelStruct.On(ArchitectureSet.X86_64, X86SegmentLayout());
    public static readonly KernelStruct X86Dtable = KernelStruct.On(ArchitectureSet.X86_64, X86DtableLayout());

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
}
