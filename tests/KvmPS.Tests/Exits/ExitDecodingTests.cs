using KvmPS.Interop;
using KvmPS.Interop.Structs;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Exits;

/// <summary>
/// kvm_run decoding through the kernel double: the double's KVM_RUN fills the header and the exit-union member with
/// the same C# structs the module reads (at the union offset of the double's architecture), and the module's
/// completions land in those structs.
/// </summary>
public sealed class ExitDecodingTests
{
    private sealed class Vcpu : IDisposable
    {
        private readonly KvmSession _session;

        public Vcpu(CpuArchitecture arch)
        {
            (KernelDouble kernel, KvmDouble kvm) = KvmDouble.Create(arch);
            _session = new KvmSession(kernel.Kernel);
            Module = _session.CreateVm().CreateVcpu();
            Double = kvm.Vms.Single().Vcpus.Single();
        }

        public KvmVcpu Module { get; }
        public VcpuDouble Double { get; }

        /// <summary>One KVM_RUN whose exit <paramref name="kernel"/> writes into kvm_run.</summary>
        public VcpuExit RunWith(Action<VcpuDouble> kernel)
        {
            Double.RunHandler = v =>
            {
                kernel(v);
                return 0;
            };
            return Module.Run();
        }

        public void Dispose() => _session.Dispose();
    }

    [Fact]
    public void The_header_is_on_every_exit()
    {
        using var vcpu = new Vcpu(CpuArchitecture.X86_64);

        VcpuExit exit = vcpu.RunWith(v =>
        {
            v.RunHeader = new KvmRunHeader
            {
                ExitReason = (uint)KvmExitReason.IrqWindowOpen,
                IfFlag = 1,
                ReadyForInterruptInjection = 1,
                Flags = 1,
                Cr8 = 0xC,
                ApicBase = 0xFEE0_0900,
            };
        });

        Assert.Equal(KvmExitReason.IrqWindowOpen, exit.Reason);
        Assert.Equal((true, true, (ushort)1, 0xCUL, 0xFEE0_0900UL),
            (exit.IfFlag, exit.ReadyForInterruptInjection, exit.RunFlags, exit.Cr8, exit.ApicBase));
    }

    [Theory]
    [InlineData(CpuArchitecture.X86_64)]
    [InlineData(CpuArchitecture.S390x)]
    public void A_port_read_is_completed_at_data_offset_and_an_mmio_read_in_mmio_data(CpuArchitecture arch)
    {
        using var vcpu = new Vcpu(arch);
        var io = Assert.IsType<IoExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.Io,
            new KvmRunIo { Direction = 0, Size = 2, Port = 0x71, Count = 2, DataOffset = 0x1000 })));
        vcpu.Module.CompleteRead([1, 2, 3, 4]);

        Assert.Equal((IoDirection.In, (ushort)0x71, (byte)2, 2u), (io.Direction, io.Port, io.Size, io.Count));
        Assert.Equal([1, 2, 3, 4], vcpu.Double.RunBytes(0x1000, 4).ToArray());

        var mmio = Assert.IsType<MmioExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.Mmio,
            new KvmRunMmio { PhysAddr = 0xD000_0000, Len = 4, IsWrite = 0 })));
        vcpu.Module.CompleteRead([9, 8, 7, 6]);

        Assert.Equal((0xD000_0000UL, 4u, false), (mmio.Address, mmio.Length, mmio.IsWrite));
        Assert.Equal(0x0607_0809u, MmioData(vcpu.Double));
    }

    private static unsafe uint MmioData(VcpuDouble vcpu)
    {
        KvmRunMmio mmio = vcpu.RunExit<KvmRunMmio>();
        return *(uint*)mmio.Data;
    }

    [Fact]
    public unsafe void A_port_write_carries_its_data_and_a_hypercall_takes_its_return_value()
    {
        using var vcpu = new Vcpu(CpuArchitecture.X86_64);
        var io = Assert.IsType<IoExit>(vcpu.RunWith(v =>
        {
            v.Exit(KvmExitReason.Io, new KvmRunIo { Direction = 1, Size = 1, Port = 0x3F8, Count = 3, DataOffset = 0x1000 });
            "abc"u8.CopyTo(v.RunBytes(0x1000, 3));
        }));
        Assert.Equal("abc"u8.ToArray(), io.Data);

        var call = Assert.IsType<HypercallExit>(vcpu.RunWith(v =>
        {
            var hypercall = new KvmRunHypercall { Nr = 9 };
            hypercall.Args[5] = 6;
            v.Exit(KvmExitReason.Hypercall, hypercall);
        }));
        vcpu.Module.SetHypercallReturn(42);

        Assert.Equal((9UL, 6UL), (call.Number, call.Arguments[5]));
        Assert.Equal(42UL, vcpu.Double.RunExit<KvmRunHypercall>().Ret);
    }

    [Fact]
    public void A_data_offset_outside_the_mapping_is_refused()
    {
        using var vcpu = new Vcpu(CpuArchitecture.X86_64);
        Assert.ThrowsAny<ArgumentException>(() => vcpu.RunWith(v => v.Exit(KvmExitReason.Io,
            new KvmRunIo { Direction = 1, Size = 4, Port = 0x80, Count = 1, DataOffset = KvmDouble.RunPageSize - 2 })));
    }

    [Fact]
    public void X86_debug_exit()
    {
        using var vcpu = new Vcpu(CpuArchitecture.X86_64);
        var exit = Assert.IsType<X86DebugExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.Debug,
            new KvmDebugExitArchX86 { Exception = 1, Pc = 0xFFF0, Dr6 = 0xFFFF_4FF0, Dr7 = 0x400 })));

        Assert.Equal((1u, 0xFFF0UL, 0xFFFF_4FF0UL, 0x400UL), (exit.Exception, exit.Pc, exit.Dr6, exit.Dr7));
    }

    [Fact]
    public void Arm64_debug_and_nisv_exits()
    {
        using var vcpu = new Vcpu(CpuArchitecture.Aarch64);
        var debug = Assert.IsType<ArmDebugExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.Debug,
            new KvmDebugExitArchArm64 { Hsr = 0xF200_0000, HsrHigh = 1, Far = 0x4000 })));
        var nisv = Assert.IsType<ArmNisvExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.ArmNisv,
            new KvmRunArmNisv { EsrIss = 0x9200_0046, FaultIpa = 0x0900_0000 })));

        Assert.Equal((0x1_F200_0000UL, 0x4000UL), (debug.Esr, debug.Far));
        Assert.Equal((0x9200_0046UL, 0x0900_0000UL), (nisv.EsrIss, nisv.FaultIpa));
    }

    [Fact]
    public void Tpr_access_eoi_notify_exits()
    {
        using var vcpu = new Vcpu(CpuArchitecture.X86_64);
        var tpr = Assert.IsType<TprAccessExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.TprAccess, new KvmRunTprAccess { Rip = 0x1234, IsWrite = 1 })));
        var eoi = Assert.IsType<IoapicEoiExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.IoapicEoi, new KvmRunEoi { Vector = 0x31 })));
        var notify = Assert.IsType<NotifyExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.Notify, new KvmRunNotify { Flags = 1 })));

        Assert.Equal((0x1234UL, true), (tpr.Rip, tpr.IsWrite));
        Assert.Equal((byte)0x31, eoi.Vector);
        Assert.True(notify.ContextInvalid);
    }

    [Fact]
    public void Msr_exits_say_which_msr_why_and_what_was_written()
    {
        using var vcpu = new Vcpu(CpuArchitecture.X86_64);
        var read = Assert.IsType<MsrExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.X86Rdmsr,
            new KvmRunMsr { Reason = 2, Index = 0xC000_0100, Data = 0xDEAD })));
        var write = Assert.IsType<MsrExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.X86Wrmsr,
            new KvmRunMsr { Reason = 4, Index = 0x1B, Data = 0xFEE0_0800 })));

        Assert.Equal((false, 0xC000_0100u, "KVM_MSR_EXIT_REASON_UNKNOWN", 0UL), (read.IsWrite, read.Index, read.MsrReasonName, read.Data));
        Assert.Equal((true, 0x1Bu, "KVM_MSR_EXIT_REASON_FILTER", 0xFEE0_0800UL), (write.IsWrite, write.Index, write.MsrReasonName, write.Data));
    }

    [Fact]
    public void An_msr_read_is_answered_in_msr_data_and_a_refusal_in_msr_error()
    {
        using var vcpu = new Vcpu(CpuArchitecture.X86_64);
        Assert.Equal("NoPendingMsrAccess", Assert.Throws<KvmPSException>(() => vcpu.Module.SetMsrResult(1)).ErrorId);

        vcpu.RunWith(v => v.Exit(KvmExitReason.X86Rdmsr, new KvmRunMsr { Reason = 4, Index = 0x10 }));
        vcpu.Module.SetMsrResult(0x1234_5678_9ABC);
        Assert.Equal(((byte)0, 0x1234_5678_9ABCUL), (vcpu.Double.RunExit<KvmRunMsr>().Error, vcpu.Double.RunExit<KvmRunMsr>().Data));

        vcpu.RunWith(v => v.Exit(KvmExitReason.X86Wrmsr, new KvmRunMsr { Reason = 4, Index = 0x10, Data = 5 }));
        vcpu.Module.SetMsrResult(0, injectGp: true);
        Assert.Equal(((byte)1, 5UL), (vcpu.Double.RunExit<KvmRunMsr>().Error, vcpu.Double.RunExit<KvmRunMsr>().Data));
    }

    [Fact]
    public unsafe void Hyperv_hypercall_exit_and_its_result()
    {
        using var vcpu = new Vcpu(CpuArchitecture.X86_64);
        var exit = Assert.IsType<HypervExit>(vcpu.RunWith(v =>
        {
            var hyperv = new KvmHypervExit { Type = 2 };
            hyperv.U.Hcall.Input = 0x5C;
            hyperv.U.Hcall.Params[1] = 7;
            v.Exit(KvmExitReason.Hyperv, hyperv);
        }));

        Assert.Equal(("KVM_EXIT_HYPERV_HCALL", 0x5CUL, 7UL), (exit.TypeName, exit.Input, exit.Parameters[1]));
        vcpu.Module.SetHypercallReturn(0x12);
        Assert.Equal(0x12UL, vcpu.Double.RunExit<KvmHypervExit>().U.Hcall.Result);
    }

    [Fact]
    public unsafe void Xen_hypercall_exit_and_its_result()
    {
        using var vcpu = new Vcpu(CpuArchitecture.X86_64);
        var exit = Assert.IsType<XenExit>(vcpu.RunWith(v =>
        {
            var xen = new KvmXenExit { Type = KvmXenExit.HcallType };
            xen.U.Hcall.Longmode = 1;
            xen.U.Hcall.Cpl = 3;
            xen.U.Hcall.Input = 24;
            xen.U.Hcall.Params[5] = 0xABC;
            v.Exit(KvmExitReason.Xen, xen);
        }));

        Assert.Equal((true, 3u, 24UL, 0xABCUL), (exit.LongMode, exit.Cpl, exit.Input, exit.Parameters[5]));
        vcpu.Module.SetHypercallReturn(0x77);
        Assert.Equal(0x77UL, vcpu.Double.RunExit<KvmXenExit>().U.Hcall.Result);
    }

    [Theory]
    [InlineData(CpuArchitecture.X86_64)]
    [InlineData(CpuArchitecture.S390x)]
    public void A_memory_fault_names_the_range_and_whether_it_was_private(CpuArchitecture arch)
    {
        using var vcpu = new Vcpu(arch);
        var exit = Assert.IsType<MemoryFaultExit>(vcpu.RunWith(v =>
            v.Exit(KvmExitReason.MemoryFault, new KvmRunMemoryFault { Flags = KvmRunMemoryFault.FlagPrivate, Gpa = 0x20_0000, Size = 0x1000 })));

        Assert.Equal((true, 0x20_0000UL, 0x1000UL), (exit.IsPrivate, exit.Address, exit.Size));
    }

    [Fact]
    public unsafe void An_emulation_failure_carries_the_instruction_bytes()
    {
        using var vcpu = new Vcpu(CpuArchitecture.X86_64);
        var exit = Assert.IsType<InternalErrorExit>(vcpu.RunWith(v =>
        {
            var failure = new KvmRunEmulationFailure { Suberror = 1, Ndata = 3, Flags = 1, InsnSize = 2 };
            failure.InsnBytes[0] = 0x0F;
            failure.InsnBytes[1] = 0x0B;
            v.Exit(KvmExitReason.InternalError, failure);
        }));

        Assert.Equal("KVM_INTERNAL_ERROR_EMULATION", exit.SuberrorName);
        Assert.Equal([0x0F, 0x0B], exit.InstructionBytes);
        Assert.Equal(3, exit.Data.Length);
    }

    [Fact]
    public void S390_reset_stsi_and_tsch_exits_sit_behind_the_psw()
    {
        using var vcpu = new Vcpu(CpuArchitecture.S390x);
        var reset = Assert.IsType<S390ResetExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.S390Reset, 16UL)));
        var stsi = Assert.IsType<S390StsiExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.S390Stsi,
            new KvmRunS390Stsi { Addr = 0x8000, Ar = 1, Fc = 3, Sel1 = 2, Sel2 = 2 })));
        var tsch = Assert.IsType<S390TschExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.S390Tsch,
            new KvmRunS390Tsch { SubchannelId = 1, SubchannelNr = 5, IoIntParm = 0xABC, IoIntWord = 0x8000_0000, Ipb = 0x1000, Dequeued = 1 })));

        Assert.Equal(16UL, reset.Flags);
        Assert.Equal((0x8000UL, (byte)1, (byte)3, (byte)2, (ushort)2), (stsi.Address, stsi.AccessRegister, stsi.FunctionCode, stsi.Selector1, stsi.Selector2));
        Assert.Equal(((ushort)1, (ushort)5, 0xABCu, 0x8000_0000u, 0x1000u, true),
            (tsch.SubchannelId, tsch.SubchannelNumber, tsch.IoInterruptionParameter, tsch.IoInterruptionWord, tsch.Ipb, tsch.Dequeued));
        Assert.Equal(48, KvmRunOffsets.For(CpuArchitecture.S390x).Exit);
    }

    [Fact]
    public void Powerpc_dcr_epr_and_debug_exits()
    {
        using var vcpu = new Vcpu(CpuArchitecture.PowerPC64LE);
        var dcr = Assert.IsType<DcrExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.Dcr, new KvmRunDcr { Dcrn = 0x10, Data = 0x55, IsWrite = 1 })));
        var epr = Assert.IsType<EprExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.Epr, new KvmRunEpr { Epr = 0x20 })));
        var debug = Assert.IsType<PpcDebugExit>(vcpu.RunWith(v => v.Exit(KvmExitReason.Debug,
            new KvmDebugExitArchPpc { Address = 0x7000, Status = 2 })));

        Assert.Equal((0x10u, 0x55u, true), (dcr.Dcrn, dcr.Data, dcr.IsWrite));
        Assert.Equal(0x20u, epr.Epr);
        Assert.Equal((0x7000UL, 2u), (debug.Address, debug.Status));
    }
}
