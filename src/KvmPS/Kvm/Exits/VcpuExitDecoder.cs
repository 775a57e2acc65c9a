namespace KvmPS.Kvm.Exits;

/// <summary>Decodes the exit union of kvm_run for the reason the kernel gave (api.txt section 5).</summary>
internal static class VcpuExitDecoder
{
    public static VcpuExit Decode(KvmRunPage run, int vmId, int vcpuId)
    {
        uint raw = run.U32("exit_reason");
        return (KvmExitReason)raw switch
        {
            KvmExitReason.Io => DecodeIo(run, vmId, vcpuId, raw),
            KvmExitReason.Mmio => new MmioExit(vmId, vcpuId, raw)
            {
                Address = run.U64("mmio.phys_addr"),
                Length = run.U32("mmio.len"),
                IsWrite = run.U8("mmio.is_write") != 0,
                Data = run.U8("mmio.is_write") != 0 ? run.Bytes("mmio.data", (int)Math.Min(8u, run.U32("mmio.len"))) : [],
            },
            KvmExitReason.Unknown => new UnknownExit(vmId, vcpuId, raw) { HardwareExitReason = run.U64("hw.hardware_exit_reason") },
            KvmExitReason.FailEntry => new FailEntryExit(vmId, vcpuId, raw)
            {
                HardwareEntryFailureReason = run.U64("fail_entry.hardware_entry_failure_reason"),
                Cpu = run.U32("fail_entry.cpu"),
            },
            KvmExitReason.Exception => new ExceptionExit(vmId, vcpuId, raw) { Exception = run.U32("ex.exception"), ErrorCode = run.U32("ex.error_code") },
            KvmExitReason.InternalError => new InternalErrorExit(vmId, vcpuId, raw)
            {
                Suberror = run.U32("internal.suberror"),
                Data = run.U64Array("internal.data", (int)Math.Min(16u, run.U32("internal.ndata"))),
            },
            KvmExitReason.SystemEvent => new SystemEventExit(vmId, vcpuId, raw)
            {
                Type = run.U32("system_event.type"),
                Data = run.U64Array("system_event.data", (int)Math.Min(16u, run.U32("system_event.ndata"))),
            },
            KvmExitReason.Hypercall => new HypercallExit(vmId, vcpuId, raw)
            {
                Number = run.U64("hypercall.nr"),
                Arguments = run.U64Array("hypercall.args", 6),
                Return = run.U64("hypercall.ret"),
            },
            KvmExitReason.PaprHcall => new PaprHcallExit(vmId, vcpuId, raw)
            {
                Number = run.U64("papr_hcall.nr"),
                Arguments = run.U64Array("papr_hcall.args", 9),
                Return = run.U64("papr_hcall.ret"),
            },
            KvmExitReason.Osi => new OsiExit(vmId, vcpuId, raw) { Gprs = run.U64Array("osi.gprs", 32) },
            KvmExitReason.S390Sieic => new S390SieicExit(vmId, vcpuId, raw)
            {
                InterceptCode = run.U8("s390_sieic.icptcode"),
                Ipa = run.U16("s390_sieic.ipa"),
                Ipb = run.U32("s390_sieic.ipb"),
            },
            KvmExitReason.S390Ucontrol => new S390UcontrolExit(vmId, vcpuId, raw)
            {
                TranslationExceptionCode = run.U64("s390_ucontrol.trans_exc_code"),
                ProgramCode = run.U32("s390_ucontrol.pgm_code"),
            },
            _ => new VcpuExit(vmId, vcpuId, raw),
        };
    }

    private static IoExit DecodeIo(KvmRunPage run, int vmId, int vcpuId, uint raw)
    {
        var direction = (IoDirection)run.U8("io.direction");
        byte size = run.U8("io.size");
        uint count = run.U32("io.count");
        ulong dataOffset = run.U64("io.data_offset");
        int length = checked(size * (int)count);
        return new IoExit(vmId, vcpuId, raw)
        {
            Port = run.U16("io.port"),
            Direction = direction,
            Size = size,
            Count = count,
            DataOffset = dataOffset,
            Data = direction == IoDirection.Out ? run.BytesAt(dataOffset, length) : [],
        };
    }
}
