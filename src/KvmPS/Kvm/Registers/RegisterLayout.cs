using System.Buffers.Binary;
using KvmPS.Interop;
using KvmPS.Interop.Abi;

namespace KvmPS.Kvm.Registers;

/// <summary>
/// Flattens a register struct's layout into named scalar slots (nested members joined with '.', arrays indexed),
/// so kvm_regs and kvm_sregs of any architecture are read and written by name with no per-architecture code.
/// Members named pad/padding are left out.
/// </summary>
internal sealed class RegisterLayout
{
    private readonly Dictionary<string, (int Offset, int Size)> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Name, int Offset, int Size)> _ordered = [];
    private readonly bool _bigEndian;

    public RegisterLayout(CStructLayout layout)
    {
        Size = layout.Size;
        _bigEndian = !BitConverter.IsLittleEndian;   // the kernel fills these structs in the host's byte order
        Flatten(layout, "", 0);
    }

    public int Size { get; }
    public IEnumerable<(string Name, int Offset, int Size)> Slots => _ordered;

    public bool Has(string name) => _byName.ContainsKey(name);

    /// <summary>Where a register sits in the struct.</summary>
    public (int Offset, int Size) SlotOf(string name) => _byName[name];

    public string CanonicalName(string name) => _ordered.First(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).Name;

    public ulong Read(ReadOnlySpan<byte> buffer, string name)
    {
        (int offset, int size) = _byName[name];
        return Read(buffer.Slice(offset, size));
    }

    public ulong Read(ReadOnlySpan<byte> slot) => slot.Length switch
    {
        1 => slot[0],
        2 => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(slot) : BinaryPrimitives.ReadUInt16LittleEndian(slot),
        4 => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(slot) : BinaryPrimitives.ReadUInt32LittleEndian(slot),
        _ => _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(slot) : BinaryPrimitives.ReadUInt64LittleEndian(slot),
    };

    /// <summary>Throws unless <paramref name="value"/> fits the register's width.</summary>
    public void CheckFits(string name, ulong value)
    {
        int size = _byName[name].Size;
        if (size < 8 && value >> (size * 8) != 0)
        {
            throw KvmPSException.InvalidArgument("RegisterValueTooLarge",
                $"Register {CanonicalName(name)} is {size * 8} bits wide; 0x{value:X} does not fit.");
        }
    }

    public void Write(Span<byte> buffer, string name, ulong value)
    {
        CheckFits(name, value);
        (int offset, int size) = _byName[name];
        Span<byte> slot = buffer.Slice(offset, size);
        switch (size)
        {
            case 1: slot[0] = (byte)value; break;
            case 2: if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(slot, (ushort)value); else BinaryPrimitives.WriteUInt16LittleEndian(slot, (ushort)value); break;
            case 4: if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(slot, (uint)value); else BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)value); break;
            default: if (_bigEndian) BinaryPrimitives.WriteUInt64BigEndian(slot, value); else BinaryPrimitives.WriteUInt64LittleEndian(slot, value); break;
        }
    }

    private void Add(string name, int offset, int size)
    {
        _byName[name] = (offset, size);
        _ordered.Add((name, offset, size));
    }

    private void Flatten(CStructLayout layout, string prefix, int baseOffset)
    {
        foreach (CField field in layout.Fields)
        {
            if (field.Name.StartsWith("pad", StringComparison.Ordinal))
            {
                continue;
            }
            string name = field.IsAnonymous ? prefix.TrimEnd('.') : prefix + field.Name;
            int count = field.IsArray ? field.Count : 1;
            for (int i = 0; i < count; i++)
            {
                string element = field.IsArray ? $"{name}[{i}]" : name;
                int offset = baseOffset + field.Offset + i * field.ElementSize;
                if (field.Aggregate is { } nested)
                {
                    Flatten(nested, field.IsAnonymous ? prefix : element + ".", offset);
                }
                else if (field.ElementSize > sizeof(ulong))
                {
                    // A 128-bit register (arm64 __uint128_t vregs) is shown as its low and high 64-bit halves,
                    // in memory order for the host's byte order.
                    (int low, int high) = _bigEndian ? (offset + 8, offset) : (offset, offset + 8);
                    Add(element + ".lo", low, sizeof(ulong));
                    Add(element + ".hi", high, sizeof(ulong));
                }
                else
                {
                    Add(element, offset, field.ElementSize);
                }
            }
        }
    }
}
