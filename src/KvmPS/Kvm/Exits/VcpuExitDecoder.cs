using KvmPS.Interop;
using KvmPS.Interop.Structs;

namespace KvmPS.Kvm.Exits;

/// <summary>
/// Decodes kvm_run after KVM_RUN (api.rst section 5): the header, and the exit-union member exit_reason names,
/// read in place as its typed struct at the architecture's union offset.
/// </summary>
internal static unsafe class VcpuExitDecoder
{
    public static VcpuExit Decode(in MappingLease lease, KvmRunOffsets offsets, CpuArchitecture arch, int vmId, int vcpuId)
    {
        _ = lease.Slice(0, offsets.Size);   // all of struct kvm_run is mapped: the reads below need no bounds check
        byte* run = (byte*)lease.Address;
        KvmRunHeader* header = KvmRunOffsets.Header(run);
        uint raw = header->ExitReason;
        VcpuExit exit = (KvmExitReason)raw switch
        {
            KvmExitReason.Io => Io(lease, offsets.Member<KvmRunIo>(run), vmId, vcpuId, raw),
            KvmExitReason.Mmio => Mmio(offsets.Member<KvmRunMmio>(run), vmId, vcpuId, raw),
            KvmExitReason.Unknown => new UnknownExit(vmId, vcpuId, raw) { HardwareExitReason = offsets.Member<KvmRunHw>(run)->HardwareExitReason },
            KvmExitReason.FailEntry => new FailEntryExit(vmId, vcpuId, raw)
            {
                HardwareEntryFailureReason = offsets.Member<KvmRunFailEntry>(run)->HardwareEntryFailureReason,
                Cpu = offsets.Member<KvmRunFailEntry>(run)->Cpu,
            },
            KvmExitReason.Exception => new ExceptionExit(vmId, vcpuId, raw)
            {
                Exception = offsets.Member<KvmRunEx>(run)->Exception,
                ErrorCode = offsets.Member<KvmRunEx>(run)->ErrorCode,
            },
            KvmExitReason.Debug => Debug(run + offsets.Exit, arch, vmId, vcpuId, raw),
            KvmExitReason.InternalError => Internal(offsets.Member<KvmRunEmulationFailure>(run), offsets.Member<KvmRunInternal>(run), vmId, vcpuId, raw),
            KvmExitReason.SystemEvent => SystemEvent(offsets.Member<KvmRunSystemEvent>(run), vmId, vcpuId, raw),
            KvmExitReason.Hypercall => Hypercall(offsets.Member<KvmRunHypercall>(run), vmId, vcpuId, raw),
            KvmExitReason.PaprHcall => PaprHcall(offsets.Member<KvmRunPaprHcall>(run), vmId, vcpuId, raw),
            KvmExitReason.Osi => new OsiExit(vmId, vcpuId, raw) { Gprs = Words(offsets.Member<KvmRunOsi>(run)->Gprs, 32) },
            KvmExitReason.S390Sieic => new S390SieicExit(vmId, vcpuId, raw)
            {
                InterceptCode = offsets.Member<KvmRunS390Sieic>(run)->Icptcode,
                Ipa = offsets.Member<KvmRunS390Sieic>(run)->Ipa,
                Ipb = offsets.Member<KvmRunS390Sieic>(run)->Ipb,
            },
            KvmExitReason.S390Ucontrol => new S390UcontrolExit(vmId, vcpuId, raw)
            {
                TranslationExceptionCode = offsets.Member<KvmRunS390Ucontrol>(run)->TransExcCode,
                ProgramCode = offsets.Member<KvmRunS390Ucontrol>(run)->PgmCode,
            },
            // kvm_run.s390_reset_flags is a bare __u64 in the union, not a struct.
            KvmExitReason.S390Reset => new S390ResetExit(vmId, vcpuId, raw) { Flags = *offsets.Member<ulong>(run) },
            KvmExitReason.S390Stsi => S390Stsi(offsets.Member<KvmRunS390Stsi>(run), vmId, vcpuId, raw),
            KvmExitReason.S390Tsch => S390Tsch(offsets.Member<KvmRunS390Tsch>(run), vmId, vcpuId, raw),
            KvmExitReason.TprAccess => new TprAccessExit(vmId, vcpuId, raw)
            {
                Rip = offsets.Member<KvmRunTprAccess>(run)->Rip,
                IsWrite = offsets.Member<KvmRunTprAccess>(run)->IsWrite != 0,
            },
            KvmExitReason.IoapicEoi => new IoapicEoiExit(vmId, vcpuId, raw) { Vector = offsets.Member<KvmRunEoi>(run)->Vector },
            KvmExitReason.X86Rdmsr or KvmExitReason.X86Wrmsr => Msr(offsets.Member<KvmRunMsr>(run), vmId, vcpuId, raw),
            KvmExitReason.Notify => new NotifyExit(vmId, vcpuId, raw) { Flags = offsets.Member<KvmRunNotify>(run)->Flags },
            KvmExitReason.Hyperv => Hyperv(offsets.Member<KvmHypervExit>(run), vmId, vcpuId, raw),
            KvmExitReason.Xen => Xen(offsets.Member<KvmXenExit>(run), vmId, vcpuId, raw),
            KvmExitReason.MemoryFault => new MemoryFaultExit(vmId, vcpuId, raw)
            {
                Flags = offsets.Member<KvmRunMemoryFault>(run)->Flags,
                Address = offsets.Member<KvmRunMemoryFault>(run)->Gpa,
                Size = offsets.Member<KvmRunMemoryFault>(run)->Size,
            },
            KvmExitReason.Dcr => new DcrExit(vmId, vcpuId, raw)
            {
                Dcrn = offsets.Member<KvmRunDcr>(run)->Dcrn,
                Data = offsets.Member<KvmRunDcr>(run)->Data,
                IsWrite = offsets.Member<KvmRunDcr>(run)->IsWrite != 0,
            },
            KvmExitReason.Epr => new EprExit(vmId, vcpuId, raw) { Epr = offsets.Member<KvmRunEpr>(run)->Epr },
            KvmExitReason.ArmNisv => new ArmNisvExit(vmId, vcpuId, raw)
            {
                EsrIss = offsets.Member<KvmRunArmNisv>(run)->EsrIss,
                FaultIpa = offsets.Member<KvmRunArmNisv>(run)->FaultIpa,
            },
            _ => new VcpuExit(vmId, vcpuId, raw),
        };
        exit.IfFlag = header->IfFlag != 0;
        exit.ReadyForInterruptInjection = header->ReadyForInterruptInjection != 0;
        exit.RunFlags = header->Flags;
        exit.Cr8 = header->Cr8;
        exit.ApicBase = header->ApicBase;
        return exit;
    }

    private static ulong[] Words(ulong* words, uint count) => new ReadOnlySpan<ulong>(words, (int)count).ToArray();

    private static IoExit Io(in MappingLease lease, KvmRunIo* io, int vmId, int vcpuId, uint raw)
    {
        var direction = (IoDirection)io->Direction;
        int length = checked(io->Size * (int)io->Count);
        return new IoExit(vmId, vcpuId, raw)
        {
            Port = io->Port,
            Direction = direction,
            Size = io->Size,
            Count = io->Count,
            DataOffset = io->DataOffset,
            // data_offset comes from the kernel: the lease checks it lies inside the mapping.
            Data = direction == IoDirection.Out ? lease.Slice(io->DataOffset, length).ToArray() : [],
        };
    }

    private static MmioExit Mmio(KvmRunMmio* mmio, int vmId, int vcpuId, uint raw) => new(vmId, vcpuId, raw)
    {
        Address = mmio->PhysAddr,
        Length = mmio->Len,
        IsWrite = mmio->IsWrite != 0,
        Data = mmio->IsWrite != 0 ? new ReadOnlySpan<byte>(mmio->Data, (int)Math.Min(8u, mmio->Len)).ToArray() : [],
    };

    private static GuestDebugExit Debug(byte* debug, CpuArchitecture arch, int vmId, int vcpuId, uint raw) => arch switch
    {
        CpuArchitecture.X86_64 => new X86DebugExit(vmId, vcpuId, raw)
        {
            Exception = ((KvmDebugExitArchX86*)debug)->Exception,
            Pc = ((KvmDebugExitArchX86*)debug)->Pc,
            Dr6 = ((KvmDebugExitArchX86*)debug)->Dr6,
            Dr7 = ((KvmDebugExitArchX86*)debug)->Dr7,
        },
        CpuArchitecture.Aarch64 => new ArmDebugExit(vmId, vcpuId, raw)
        {
            Esr = ((ulong)((KvmDebugExitArchArm64*)debug)->HsrHigh << 32) | ((KvmDebugExitArchArm64*)debug)->Hsr,
            Far = ((KvmDebugExitArchArm64*)debug)->Far,
        },
        CpuArchitecture.PowerPC64LE => new PpcDebugExit(vmId, vcpuId, raw)
        {
            Address = ((KvmDebugExitArchPpc*)debug)->Address,
            Status = ((KvmDebugExitArchPpc*)debug)->Status,
        },
        CpuArchitecture.S390x => new S390DebugExit(vmId, vcpuId, raw)
        {
            Address = ((KvmDebugExitArchS390*)debug)->Addr,
            Type = ((KvmDebugExitArchS390*)debug)->Type,
        },
        _ => throw new IoctlUnavailableException("struct kvm_debug_exit_arch", arch),
    };

    /// <summary>KVM_INTERNAL_ERROR_EMULATION overlays emulation_failure on internal (linux/kvm.h, ABI for that suberror).</summary>
    private static InternalErrorExit Internal(KvmRunEmulationFailure* emulation, KvmRunInternal* error, int vmId, int vcpuId, uint raw)
    {
        const uint Emulation = 1, InstructionBytesFlag = 1;
        bool hasBytes = error->Suberror == Emulation && error->Ndata >= 3 && (emulation->Flags & InstructionBytesFlag) != 0;
        return new InternalErrorExit(vmId, vcpuId, raw)
        {
            Suberror = error->Suberror,
            Data = Words(error->Data, Math.Min(16u, error->Ndata)),
            InstructionBytes = hasBytes ? new ReadOnlySpan<byte>(emulation->InsnBytes, Math.Min(15, (int)emulation->InsnSize)).ToArray() : [],
        };
    }

    private static SystemEventExit SystemEvent(KvmRunSystemEvent* systemEvent, int vmId, int vcpuId, uint raw) => new(vmId, vcpuId, raw)
    {
        Type = systemEvent->Type,
        Data = Words(systemEvent->Data, Math.Min(16u, systemEvent->Ndata)),
    };

    private static HypercallExit Hypercall(KvmRunHypercall* call, int vmId, int vcpuId, uint raw) => new(vmId, vcpuId, raw)
    {
        Number = call->Nr,
        Arguments = Words(call->Args, 6),
        Return = call->Ret,
    };

    private static PaprHcallExit PaprHcall(KvmRunPaprHcall* call, int vmId, int vcpuId, uint raw) => new(vmId, vcpuId, raw)
    {
        Number = call->Nr,
        Arguments = Words(call->Args, 9),
        Return = call->Ret,
    };

    private static S390StsiExit S390Stsi(KvmRunS390Stsi* stsi, int vmId, int vcpuId, uint raw) => new(vmId, vcpuId, raw)
    {
        Address = stsi->Addr,
        AccessRegister = stsi->Ar,
        FunctionCode = stsi->Fc,
        Selector1 = stsi->Sel1,
        Selector2 = stsi->Sel2,
    };

    private static S390TschExit S390Tsch(KvmRunS390Tsch* tsch, int vmId, int vcpuId, uint raw) => new(vmId, vcpuId, raw)
    {
        SubchannelId = tsch->SubchannelId,
        SubchannelNumber = tsch->SubchannelNr,
        IoInterruptionParameter = tsch->IoIntParm,
        IoInterruptionWord = tsch->IoIntWord,
        Ipb = tsch->Ipb,
        Dequeued = tsch->Dequeued != 0,
    };

    private static MsrExit Msr(KvmRunMsr* msr, int vmId, int vcpuId, uint raw) => new(vmId, vcpuId, raw)
    {
        Index = msr->Index,
        MsrReason = msr->Reason,
        Data = raw == (uint)KvmExitReason.X86Wrmsr ? msr->Data : 0,
    };

    private static XenExit Xen(KvmXenExit* xen, int vmId, int vcpuId, uint raw) => xen->Type == KvmXenExit.HcallType
        ? new XenExit(vmId, vcpuId, raw)
        {
            Type = xen->Type,
            LongMode = xen->U.Hcall.Longmode != 0,
            Cpl = xen->U.Hcall.Cpl,
            Input = xen->U.Hcall.Input,
            Parameters = Words(xen->U.Hcall.Params, 6),
        }
        : new XenExit(vmId, vcpuId, raw) { Type = xen->Type };

    private static HypervExit Hyperv(KvmHypervExit* hyperv, int vmId, int vcpuId, uint raw)
    {
        const uint Synic = 1, Hcall = 2, Syndbg = 3;
        return hyperv->Type switch
        {
            Synic => new HypervExit(vmId, vcpuId, raw)
            {
                Type = Synic,
                Msr = hyperv->U.Synic.Msr,
                Control = hyperv->U.Synic.Control,
                Pages = [hyperv->U.Synic.EvtPage, hyperv->U.Synic.MsgPage],
            },
            Hcall => new HypervExit(vmId, vcpuId, raw)
            {
                Type = Hcall,
                Input = hyperv->U.Hcall.Input,
                Parameters = Words(hyperv->U.Hcall.Params, 2),
            },
            Syndbg => new HypervExit(vmId, vcpuId, raw)
            {
                Type = Syndbg,
                Msr = hyperv->U.Syndbg.Msr,
                Control = hyperv->U.Syndbg.Control,
                Pages = [hyperv->U.Syndbg.Status, hyperv->U.Syndbg.SendPage, hyperv->U.Syndbg.RecvPage, hyperv->U.Syndbg.PendingPage],
            },
            _ => new HypervExit(vmId, vcpuId, raw) { Type = hyperv->Type },
        };
    }
}
