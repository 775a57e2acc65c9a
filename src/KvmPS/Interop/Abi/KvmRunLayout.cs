using KvmPS.Interop.Structs;

namespace KvmPS.Interop.Abi;

/// <summary>
/// struct kvm_run, the per-vCPU page shared with the kernel (api.rst section 5), composed of the C# structs the
/// module reads it through (Interop/Structs/KvmRun): the header before the exit union, and one struct per exit-union
/// member, so the ABI tests check every field of each at its real kvm_run offset. The union's own 256-byte padding
/// fixes its size. s390 inserts psw_mask and psw_addr before the union. The trailing union <c>s</c> holds each
/// architecture's kvm_sync_regs, which all fit in its 2048-byte padding today (s390's is the largest, 1984 bytes).
/// </summary>
internal static class KvmRunLayout
{
    /// <summary>Every member is checked on every architecture; kvm_sync_regs inside <c>s</c> checks itself.</summary>
    public static readonly KernelStruct KvmRun = KernelStruct.PerArchitectureEveryMember("kvm_run", Build,
        path => path.StartsWith("s.regs.", StringComparison.Ordinal));

    /// <summary>kvm_run.debug.arch, which each architecture's asm/kvm.h declares its own way.</summary>
    public static readonly KernelStruct DebugExitArch = KernelStruct.PerArchitectureEveryMember("kvm_debug_exit_arch", arch => arch switch
    {
        CpuArchitecture.X86_64 => ReflectedLayout.Of<KvmDebugExitArchX86>(),
        CpuArchitecture.Aarch64 => ReflectedLayout.Of<KvmDebugExitArchArm64>(),
        CpuArchitecture.PowerPC64LE => ReflectedLayout.Of<KvmDebugExitArchPpc>(),
        CpuArchitecture.S390x => ReflectedLayout.Of<KvmDebugExitArchS390>(),
        _ => null,
    });

    public static readonly KernelStruct HypervExit = KernelStruct.Of<KvmHypervExit>();

    public static readonly KernelStruct XenExit = KernelStruct.Of<KvmXenExit>();

    /// <summary>SYNC_REGS_SIZE_BYTES in linux/kvm.h.</summary>
    public const int SyncRegsPaddingBytes = 2048;

    private static CStructLayout Build(CpuArchitecture arch)
    {
        // Header order (linux/kvm.h, Linux 6.1); members this module does not read are declared all the same, so
        // the union's layout is the header's.
        var exit = CStructLayout.Union("kvm_run.exit")
            .Member("hw", ReflectedLayout.Of<KvmRunHw>())
            .Member("fail_entry", ReflectedLayout.Of<KvmRunFailEntry>())
            .Member("ex", ReflectedLayout.Of<KvmRunEx>())
            .Member("io", ReflectedLayout.Of<KvmRunIo>())
            .Member("debug", CStructLayout.Struct("kvm_run.debug").Member("arch", DebugExitArch.LayoutOn(arch)).Build())
            .Member("mmio", ReflectedLayout.Of<KvmRunMmio>())
            .Member("hypercall", ReflectedLayout.Of<KvmRunHypercall>())
            .Member("tpr_access", ReflectedLayout.Of<KvmRunTprAccess>())
            .Member("s390_sieic", ReflectedLayout.Of<KvmRunS390Sieic>())
            .U64("s390_reset_flags")
            .Member("s390_ucontrol", ReflectedLayout.Of<KvmRunS390Ucontrol>())
            .Member("dcr", ReflectedLayout.Of<KvmRunDcr>())
            .Member("internal", ReflectedLayout.Of<KvmRunInternal>())
            .Member("emulation_failure", ReflectedLayout.Of<KvmRunEmulationFailure>())
            .Member("osi", ReflectedLayout.Of<KvmRunOsi>())
            .Member("papr_hcall", ReflectedLayout.Of<KvmRunPaprHcall>())
            .Member("s390_tsch", ReflectedLayout.Of<KvmRunS390Tsch>())
            .Member("epr", ReflectedLayout.Of<KvmRunEpr>())
            .Member("system_event", ReflectedLayout.Of<KvmRunSystemEvent>())
            .Member("s390_stsi", ReflectedLayout.Of<KvmRunS390Stsi>())
            .Member("eoi", ReflectedLayout.Of<KvmRunEoi>())
            .Member("hyperv", ReflectedLayout.Of<KvmHypervExit>())
            .Member("arm_nisv", ReflectedLayout.Of<KvmRunArmNisv>())
            .Member("msr", ReflectedLayout.Of<KvmRunMsr>())
            .Member("xen", ReflectedLayout.Of<KvmXenExit>())
            .Member("memory_fault", ReflectedLayout.Of<KvmRunMemoryFault>())   // Linux 6.8: NewerThanHeaders in the ABI tests
            .Member("notify", ReflectedLayout.Of<KvmRunNotify>())
            .U8("padding", 256)
            .Build();

        var run = CStructLayout.Struct("kvm_run").Anonymous(ReflectedLayout.Of<KvmRunHeader>());
        if (arch == CpuArchitecture.S390x)
        {
            run.U64("psw_mask").U64("psw_addr");
        }
        return run.Anonymous(exit)
            .Anonymous(ReflectedLayout.Of<KvmRunSyncControl>())
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
