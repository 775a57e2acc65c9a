using System.Buffers.Binary;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm.X86;

/// <summary>
/// The in-kernel i8254 as KVM_GET_PIT2 returned it (api.txt 4.72): struct kvm_pit_state2's bytes in <see cref="Raw"/>,
/// viewed as <see cref="Flags"/> and the three <see cref="Channels"/>. Changing a view changes <see cref="Raw"/>, which
/// KVM_SET_PIT2 writes back.
/// </summary>
public sealed class PitState
{
    /// <summary>The i8254's counters: 0 is the system timer (IRQ 0), 1 the historic DRAM refresh, 2 the PC speaker.</summary>
    public const int ChannelCount = 3;

    private static readonly CStructLayout Layout = X86Structs.PitState2.LayoutOn(CpuArchitecture.X86_64);

    /// <summary>sizeof(struct kvm_pit_state2).</summary>
    public static int Size => Layout.Size;

    [JsonConstructor]
    public PitState(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Length != Size)
        {
            throw new KvmPSException("InvalidPitState", ErrorKind.InvalidArgument,
                $"The state of the PIT is {Size} bytes (struct kvm_pit_state2); got {raw.Length}.");
        }
        Raw = raw;
    }

    /// <summary>struct kvm_pit_state2 exactly as the kernel laid it out.</summary>
    public byte[] Raw { get; }

    [JsonConverter(typeof(StringEnumConverter))]
    public PitStateFlags Flags
    {
        get => (PitStateFlags)BinaryPrimitives.ReadUInt32LittleEndian(Raw.AsSpan(Layout.OffsetOf("flags")));
        set => BinaryPrimitives.WriteUInt32LittleEndian(Raw.AsSpan(Layout.OffsetOf("flags")), (uint)value);
    }

    /// <summary>The three counters, read and written in place in <see cref="Raw"/>.</summary>
    public IReadOnlyList<PitChannelState> Channels =>
        Enumerable.Range(0, ChannelCount).Select(i => new PitChannelState(i, Raw, Layout.OffsetOf($"channels[{i}]"))).ToArray();

    public override string ToString() => $"PIT flags {Flags}; {string.Join("; ", Channels)}";
}

[Flags]
public enum PitStateFlags : uint
{
    None = 0,
    /// <summary>KVM_PIT_FLAGS_HPET_LEGACY: the HPET drives IRQ 0 in legacy replacement mode; the PIT does not.</summary>
    HpetLegacy = 1,
    /// <summary>KVM_PIT_FLAGS_SPEAKER_DATA_ON: the speaker data bit of port 0x61 (newer kernels).</summary>
    SpeakerDataOn = 2,
}

/// <summary>One counter's struct kvm_pit_channel_state, read and written in place in its <see cref="PitState"/>'s bytes.</summary>
public sealed class PitChannelState
{
    private static readonly CStructLayout Layout = X86Structs.PitChannelState.LayoutOn(CpuArchitecture.X86_64);
    private readonly byte[] _raw;
    private readonly int _offset;

    internal PitChannelState(int channel, byte[] raw, int offset)
    {
        Channel = channel;
        _raw = raw;
        _offset = offset;
    }

    public int Channel { get; }

    /// <summary>The reload value; 65536 stands for a programmed 0.</summary>
    public uint Count { get => BinaryPrimitives.ReadUInt32LittleEndian(At("count")); set => BinaryPrimitives.WriteUInt32LittleEndian(At("count"), value); }
    public ushort LatchedCount { get => BinaryPrimitives.ReadUInt16LittleEndian(At("latched_count")); set => BinaryPrimitives.WriteUInt16LittleEndian(At("latched_count"), value); }
    public byte CountLatched { get => At("count_latched")[0]; set => At("count_latched")[0] = value; }
    public byte StatusLatched { get => At("status_latched")[0]; set => At("status_latched")[0] = value; }
    public byte Status { get => At("status")[0]; set => At("status")[0] = value; }
    public byte ReadState { get => At("read_state")[0]; set => At("read_state")[0] = value; }
    public byte WriteState { get => At("write_state")[0]; set => At("write_state")[0] = value; }
    public byte WriteLatch { get => At("write_latch")[0]; set => At("write_latch")[0] = value; }
    /// <summary>Access mode: 1 low byte, 2 high byte, 3 low then high.</summary>
    public byte RwMode { get => At("rw_mode")[0]; set => At("rw_mode")[0] = value; }
    /// <summary>Counter mode 0-5 (2 is the rate generator, 3 the square wave).</summary>
    public byte Mode { get => At("mode")[0]; set => At("mode")[0] = value; }
    public byte Bcd { get => At("bcd")[0]; set => At("bcd")[0] = value; }
    public byte Gate { get => At("gate")[0]; set => At("gate")[0] = value; }
    /// <summary>When the count was loaded, in host ktime nanoseconds; KVM_SET_PIT2 reloads the count and sets it anew.</summary>
    public long CountLoadTime { get => BinaryPrimitives.ReadInt64LittleEndian(At("count_load_time")); set => BinaryPrimitives.WriteInt64LittleEndian(At("count_load_time"), value); }

    private Span<byte> At(string member) => _raw.AsSpan(_offset + Layout.OffsetOf(member));

    public override string ToString() => $"channel {Channel} mode {Mode} count {Count} gate {Gate}";
}
