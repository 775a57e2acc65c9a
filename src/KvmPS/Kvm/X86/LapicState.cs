using System.Buffers.Binary;

namespace KvmPS.Kvm.X86;

/// <summary>
/// struct kvm_lapic_state: the local APIC's 1 KiB register page (api.txt 4.57), each register a 32-bit word at its
/// xAPIC MMIO offset (Intel SDM vol. 3A, table 11-1). <see cref="Bytes"/> is the page as the kernel gave it.
/// </summary>
public sealed class LapicState
{
    public const int Size = 0x400;

    public LapicState(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Bytes = bytes;
    }

    public byte[] Bytes { get; }

    public uint Id => Register(0x20);
    public uint Version => Register(0x30);
    public uint Tpr => Register(0x80);
    public uint Ldr => Register(0xd0);
    public uint Dfr => Register(0xe0);
    public uint Svr => Register(0xf0);

    /// <summary>In-service, trigger-mode and request registers: eight words each, vector v is bit v % 32 of word v / 32.</summary>
    public uint[] Isr => Words(0x100);
    public uint[] Tmr => Words(0x180);
    public uint[] Irr => Words(0x200);

    public uint Esr => Register(0x280);
    public uint IcrLow => Register(0x300);
    public uint IcrHigh => Register(0x310);
    public uint LvtTimer => Register(0x320);
    public uint LvtLint0 => Register(0x350);
    public uint LvtLint1 => Register(0x360);
    public uint LvtError => Register(0x370);
    public uint TimerInitialCount => Register(0x380);
    public uint TimerCurrentCount => Register(0x390);
    public uint TimerDivide => Register(0x3e0);

    /// <summary>The 32-bit register at <paramref name="offset"/> (a multiple of 0x10 below 0x400).</summary>
    public uint Register(int offset) => offset is >= 0 and < Size && offset % 0x10 == 0
        ? BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(offset))
        : throw new ArgumentOutOfRangeException(nameof(offset), $"0x{offset:X} is not an APIC register offset (0x0..0x3F0, 16-byte aligned).");

    private uint[] Words(int offset) => Enumerable.Range(0, 8).Select(i => Register(offset + i * 0x10)).ToArray();
}
