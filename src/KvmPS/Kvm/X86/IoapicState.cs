using System.Buffers.Binary;
using KvmPS.Interop;
using KvmPS.Interop.Abi;

namespace KvmPS.Kvm.X86;

/// <summary>The IOAPIC's struct kvm_ioapic_state, read and written in place in its <see cref="IrqchipState"/>'s bytes.</summary>
public sealed class IoapicState
{
    /// <summary>KVM_IOAPIC_NUM_PINS.</summary>
    public const int PinCount = 24;

    private static readonly CStructLayout Layout = InterruptStructs.IoapicState.LayoutOn(CpuArchitecture.X86_64);
    private readonly byte[] _raw;

    internal IoapicState(byte[] raw) => _raw = raw;

    public ulong BaseAddress { get => BinaryPrimitives.ReadUInt64LittleEndian(At("base_address")); set => BinaryPrimitives.WriteUInt64LittleEndian(At("base_address"), value); }
    public uint Ioregsel { get => U32("ioregsel"); set => U32("ioregsel", value); }
    public uint Id { get => U32("id"); set => U32("id", value); }
    public uint Irr { get => U32("irr"); set => U32("irr", value); }

    /// <summary>The 24 redirection entries as 64-bit values (vector in bits 0-7, mask bit 16, destination in 56-63).</summary>
    public ulong[] RedirectionTable
    {
        get => Enumerable.Range(0, PinCount).Select(GetRedirection).ToArray();
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length != PinCount)
            {
                throw new KvmPSException("InvalidRedirectionTable", ErrorKind.InvalidArgument,
                    $"The IOAPIC has {PinCount} redirection entries; got {value.Length}.",
                    recommendedAction: $"Give exactly {PinCount} entries, or change one with SetRedirection(pin, value).");
            }
            for (int pin = 0; pin < PinCount; pin++)
            {
                SetRedirection(pin, value[pin]);
            }
        }
    }

    public ulong GetRedirection(int pin) => BinaryPrimitives.ReadUInt64LittleEndian(At($"redirtbl[{CheckPin(pin)}]"));

    public void SetRedirection(int pin, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(At($"redirtbl[{CheckPin(pin)}]"), value);

    private static int CheckPin(int pin) => pin is >= 0 and < PinCount ? pin
        : throw new KvmPSException("InvalidIoapicPin", ErrorKind.InvalidArgument, $"IOAPIC pin {pin} does not exist; pins are 0..{PinCount - 1}.",
            recommendedAction: $"Use a pin from 0 to {PinCount - 1}.");

    private Span<byte> At(string member) => _raw.AsSpan(Layout.OffsetOf(member));

    private uint U32(string member) => BinaryPrimitives.ReadUInt32LittleEndian(At(member));

    private void U32(string member, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(At(member), value);

    public override string ToString() => $"IOAPIC 0x{BaseAddress:X} id {Id} irr 0x{Irr:X}";
}
