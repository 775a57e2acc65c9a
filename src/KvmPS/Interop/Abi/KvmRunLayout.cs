namespace KvmPS.Interop.Abi;

/// <summary>
/// struct kvm_run, the per-vCPU page shared with the kernel (api.txt section 5). Only the exit-union members
/// the module decodes are declared; the union's own 256-byte padding fixes its size. s390 inserts psw_mask and
/// psw_addr before the union. The trailing union <c>s</c> holds each architecture's kvm_sync_regs, which all
/// fit in its 2048-byte padding today (s390's is the largest, 1984 bytes).
/// </summary>
internal static class KvmRunLayout
{
    public static readonly KernelStruct KvmRun = KernelStruct.PerArchitecture("kvm_run", Build,
        "request_interrupt_window", "immediate_exit", "exit_reason", "ready_for_interrupt_injection", "if_flag",
        "flags", "cr8", "apic_base",
        "hw.hardware_exit_reason",
        "fail_entry.hardware_entry_failure_reason", "fail_entry.cpu",
        "ex.exception", "ex.error_code",
        "io.direction", "io.size", "io.port", "io.count", "io.data_offset",
        "mmio.phys_addr", "mmio.data", "mmio.len", "mmio.is_write",
        "hypercall.nr", "hypercall.args", "hypercall.ret",
        "internal.suberror", "internal.ndata", "internal.data",
        "system_event.type", "system_event.ndata", "system_event.data",
        "osi.gprs",
        "papr_hcall.nr", "papr_hcall.ret", "papr_hcall.args",
        "s390_sieic.icptcode", "s390_sieic.ipa", "s390_sieic.ipb",
        "s390_ucontrol.trans_exc_code", "s390_ucontrol.pgm_code",
        "kvm_valid_regs", "kvm_dirty_regs", "s");

    /// <summary>SYNC_REGS_SIZE_BYTES in linux/kvm.h.</summary>
    public const int SyncRegsPaddingBytes = 2048;

    private static CStructLayout Build(CpuArchitecture arch)
    {
        var exit = CStructLayout.Union("kvm_run.exit")
            .Member("hw", CStructLayout.Struct("hw").U64("hardware_exit_reason").Build())
            .Member("fail_entry", CStructLayout.Struct("fail_entry").U64("hardware_entry_failure_reason").U32("cpu").Build())
            .Member("ex", CStructLayout.Struct("ex").U32("exception").U32("error_code").Build())
            .Member("io", CStructLayout.Struct("io").U8("direction").U8("size").U16("port").U32("count").U64("data_offset").Build())
            .Member("mmio", CStructLayout.Struct("mmio").U64("phys_addr").U8("data", 8).U32("len").U8("is_write").Build())
            // Linux 6.1's headers; later kernels overlay "__u64 flags" on longmode and pad.
            .Member("hypercall", CStructLayout.Struct("hypercall").U64("nr").U64("args", 6).U64("ret")
                .U32("longmode").U32("pad").Build())
            .Member("s390_sieic", CStructLayout.Struct("s390_sieic").U8("icptcode").U16("ipa").U32("ipb").Build())
            .Member("s390_ucontrol", CStructLayout.Struct("s390_ucontrol").U64("trans_exc_code").U32("pgm_code").Build())
            .Member("internal", CStructLayout.Struct("internal").U32("suberror").U32("ndata").U64("data", 16).Build())
            .Member("osi", CStructLayout.Struct("osi").U64("gprs", 32).Build())
            .Member("papr_hcall", CStructLayout.Struct("papr_hcall").U64("nr").U64("ret").U64("args", 9).Build())
            .Member("system_event", CStructLayout.Struct("system_event").U32("type").U32("ndata")
                .Anonymous(CStructLayout.Union("system_event.payload").U64("flags").U64("data", 16).Build()).Build())
            .U8("padding", 256)
            .Build();

        var run = CStructLayout.Struct("kvm_run")
            .U8("request_interrupt_window").U8("immediate_exit").U8("padding1", 6)
            .U32("exit_reason").U8("ready_for_interrupt_injection").U8("if_flag").U16("flags")
            .U64("cr8").U64("apic_base");
        if (arch == CpuArchitecture.S390x)
        {
            run.U64("psw_mask").U64("psw_addr");
        }
        return run.Anonymous(exit)
            .U64("kvm_valid_regs").U64("kvm_dirty_regs")
            .Member("s", SyncRegsUnion(arch))
            .Build();
    }

    /// <summary><c>union { struct kvm_sync_regs regs; char padding[SYNC_REGS_SIZE_BYTES]; } s;</c></summary>
    private static CStructLayout SyncRegsUnion(CpuArchitecture arch)
    {
        CStructLayout regs = SyncRegs.LayoutOn(arch);
        if (regs.Size > SyncRegsPaddingBytes)
        {
            throw new InvalidOperationException($"kvm_sync_regs of {arch.UnameName()} ({regs.Size} bytes) outgrows kvm_run.s.");
        }
        return CStructLayout.Union("kvm_run.s").Member("regs", regs).U8("padding", SyncRegsPaddingBytes).Build();
    }

    /// <summary>The registers KVM_CAP_SYNC_REGS shares through kvm_run.s, from each architecture's asm/kvm.h.</summary>
    public static readonly KernelStruct SyncRegs = KernelStruct.PerArchitecture("kvm_sync_regs", arch => arch switch
    {
        CpuArchitecture.X86_64 => X86SyncRegs(),
        CpuArchitecture.Aarch64 => CStructLayout.Struct("kvm_sync_regs").U64("device_irq_level").Build(),
        CpuArchitecture.PowerPC64LE => CStructLayout.Struct("kvm_sync_regs").Build(),
        CpuArchitecture.S390x => S390SyncRegs(),
        _ => null,
    });

    private static CStructLayout X86SyncRegs() => CStructLayout.Struct("kvm_sync_regs")
        .Member("regs", RegisterStructs.Regs.LayoutOn(CpuArchitecture.X86_64))
        .Member("sregs", RegisterStructs.Sregs.LayoutOn(CpuArchitecture.X86_64))
        .Member("events", X86StateStructs.VcpuEvents.LayoutOn(CpuArchitecture.X86_64))
        .Build();

    /// <summary>
    /// The padding members keep riccb 64-byte and the sdnx union 256-byte aligned by hand; the header has no
    /// aligned attributes. <c>bpbc</c> stands for the byte holding the bit-fields
    /// <c>__u8 bpbc : 1; __u8 reserved2 : 7;</c>, bpbc being its most significant bit on big-endian s390.
    /// </summary>
    private static CStructLayout S390SyncRegs() => CStructLayout.Struct("kvm_sync_regs")
        .U64("prefix").U64("gprs", 16).U32("acrs", 16).U64("crs", 16)
        .U64("todpr").U64("cputm").U64("ckc").U64("pp").U64("gbea").U64("pft").U64("pfs").U64("pfc")
        .Anonymous(CStructLayout.Union("kvm_sync_regs.fp").U64("vrs", 32 * 2) /* vrs[32][2] */.U64("fprs", 16).Build())
        .U8("reserved", 512)
        .U32("fpc")
        .U8("bpbc")
        .U8("padding1", 51)
        .U8("riccb", 64)
        .U64("diag318")
        .U8("padding2", 184)
        .Anonymous(CStructLayout.Union("kvm_sync_regs.sdnx")
            .U8("sdnx", 256) // SDNXL
            .Anonymous(CStructLayout.Struct("kvm_sync_regs.gs")
                .U64("reserved1", 2).U64("gscb", 4).U64("etoken").U64("etoken_extension").Build())
            .Build())
        .Build();
}
