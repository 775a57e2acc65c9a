using System.Buffers.Binary;
using KvmPS.Interop;
using KvmPS.Interop.Abi;

namespace KvmPS.Kvm.X86;

/// <summary>A struct kvm_cpuid2 with room for a given number of entries, laid out by the header's layout.</summary>
internal sealed class CpuidBuffer
{
    private readonly CStructLayout _header;
    private readonly CStructLayout _entry;
    private readonly int _entriesOffset;

    private CpuidBuffer(CpuArchitecture arch, int capacity)
    {
        _header = X86Structs.Cpuid2.LayoutOn(arch);
        _entry = X86Structs.CpuidEntry2.LayoutOn(arch);
        _entriesOffset = _header.OffsetOf("entries");
        Capacity = capacity;
        // Pinned: its address is passed to ioctl(2) while the call runs.
        Bytes = GC.AllocateArray<byte>(Math.Max(_header.Size, _entriesOffset + capacity * _entry.Size), pinned: true);
        Count = capacity;
    }

    public byte[] Bytes { get; }

    public nint Address => System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(Bytes, 0);
    public int Capacity { get; }

    /// <summary>nent: the capacity going in, the number of entries coming back.</summary>
    public int Count
    {
        get => (int)BinaryPrimitives.ReadUInt32LittleEndian(Bytes.AsSpan(_header.OffsetOf("nent")));
        set => BinaryPrimitives.WriteUInt32LittleEndian(Bytes.AsSpan(_header.OffsetOf("nent")), (uint)value);
    }

    public static CpuidBuffer WithCapacity(CpuArchitecture arch, int capacity) => new(arch, capacity);

    public static CpuidBuffer Of(CpuArchitecture arch, IReadOnlyList<CpuidEntry> entries)
    {
        var buffer = new CpuidBuffer(arch, entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            CpuidEntry e = entries[i];
            Span<byte> target = buffer.EntryBytes(i);
            Write(target, "function", e.Function);
            Write(target, "index", e.Index);
            Write(target, "flags", (uint)e.Flags);
            Write(target, "eax", e.Eax);
            Write(target, "ebx", e.Ebx);
            Write(target, "ecx", e.Ecx);
            Write(target, "edx", e.Edx);
        }
        return buffer;

        void Write(Span<byte> target, string field, uint value) =>
            BinaryPrimitives.WriteUInt32LittleEndian(target[buffer._entry.OffsetOf(field)..], value);
    }

    /// <summary>The first <see cref="Count"/> entries (never more than the buffer holds).</summary>
    public IReadOnlyList<CpuidEntry> Entries()
    {
        int count = Math.Min(Count, Capacity);
        var entries = new CpuidEntry[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> source = EntryBytes(i);
            entries[i] = new CpuidEntry(Read(source, "function"), Read(source, "index"), (CpuidEntryFlags)Read(source, "flags"),
                Read(source, "eax"), Read(source, "ebx"), Read(source, "ecx"), Read(source, "edx"));
        }
        return entries;
    }

    private uint Read(ReadOnlySpan<byte> source, string field) => BinaryPrimitives.ReadUInt32LittleEndian(source[_entry.OffsetOf(field)..]);

    private Span<byte> EntryBytes(int i) => Bytes.AsSpan(_entriesOffset + i * _entry.Size, _entry.Size);
}
