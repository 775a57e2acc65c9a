using KvmPS.Interop;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm.X86;

/// <summary>
/// Everything KvmPS saves of one x86 vCPU: kvm_regs and kvm_sregs by member name, FPU and XSAVE, XCRs, the MSRs
/// of the index list that read back, the local APIC (with an in-kernel irqchip), pending events, the MP state and
/// the debug registers. A part the host lacks the capability for is null and is not restored.
/// As a file (Export-KvmVcpuState) it is this object in indented JSON, byte arrays as base64.
/// </summary>
public sealed class VcpuState
{
    public const string CurrentFormat = "KvmPS.VcpuState/1";

    public string Format { get; set; } = CurrentFormat;

    [JsonConverter(typeof(StringEnumConverter))]
    public CpuArchitecture Architecture { get; set; } = CpuArchitecture.X86_64;

    public DateTimeOffset Captured { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>kvm_regs members (rax ... rflags).</summary>
    public Dictionary<string, ulong> Regs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>kvm_sregs members (cs.base, cr0, efer, apic_base, interrupt_bitmap[0], ...).</summary>
    public Dictionary<string, ulong> Sregs { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public VcpuStateBlock? Fpu { get; set; }
    public VcpuStateBlock? Xsave { get; set; }
    public VcpuStateBlock? Xcrs { get; set; }
    public List<MsrValue> Msrs { get; set; } = [];
    public LapicState? Lapic { get; set; }
    public VcpuStateBlock? Events { get; set; }

    [JsonConverter(typeof(StringEnumConverter))]
    public KvmMpState? MpState { get; set; }

    public VcpuStateBlock? DebugRegisters { get; set; }

    public override string ToString() => $"x86 vCPU state: {Regs.Count} regs, {Sregs.Count} sregs, {Msrs.Count} MSRs{(Lapic is null ? "" : ", LAPIC")}";
}
