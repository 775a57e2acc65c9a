using KvmPS.Interop;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm.X86;

/// <summary>
/// The VM-wide state KvmPS saves of an x86 VM beside its vCPUs' states: the in-kernel irqchip (both PICs and the
/// IOAPIC), the in-kernel PIT and the kvmclock. A part the VM does not have (no irqchip, no PIT) or the host lacks
/// the capability for is null and is not restored. As a file (Export-KvmVmState) it is this object in indented JSON,
/// byte arrays as base64, the decoded members alongside for reading. Guest memory and vCPUs are not part of it.
/// </summary>
public sealed class VmState
{
    public const string CurrentFormat = "KvmPS.VmState/1";

    public string Format { get; set; } = CurrentFormat;

    [JsonConverter(typeof(StringEnumConverter))]
    public CpuArchitecture Architecture { get; set; } = CpuArchitecture.X86_64;

    public DateTimeOffset Captured { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>PicMaster, PicSlave and Ioapic, as KVM_GET_IRQCHIP returned them.</summary>
    public List<IrqchipState>? Irqchip { get; set; }

    /// <summary>kvm_pit_state2 as KVM_GET_PIT2 returned it.</summary>
    public PitState? Pit { get; set; }

    /// <summary>KVM_GET_CLOCK's answer; only Clock (nanoseconds) is restored.</summary>
    public KvmClock? Clock { get; set; }

    public override string ToString() =>
        $"x86 VM state: {(Irqchip is null ? "no irqchip" : $"{Irqchip.Count} irqchip chips")}, {(Pit is null ? "no PIT" : "PIT")}, " +
        $"{(Clock is null ? "no clock" : $"clock {Clock.Clock} ns")}";
}
