using System.Buffers.Binary;
using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;

namespace KvmPS.Kvm.X86;

/// <summary>A pinned struct kvm_msrs with room for a given number of kvm_msr_entry, laid out by the header's layout.</summary>
internal sealed class MsrBuffer
{
    private readonly CStructLayout _header;
    private readonly CStructLayout _entry;
    private readonly int _entriesOffset;

    public MsrBuffer(CpuArchitecture arch, IReadOnlyList<(uint Index, ulong Value)> entries)
    {
        _header = X86StateStructs.Msrs.LayoutOn(arch);
        _entry = X86StateStructs.MsrEntry.LayoutOn(arch);
        _entriesOffset = _header.OffsetOf("entries");
        Bytes = GC.AllocateArray<byte>(Math.Max(_header.Size, _entriesOffset + entries.Count * _entry.Size), pinned: true);
        BinaryPrimitives.WriteUInt32LittleEndian(Bytes.AsSpan(_header.OffsetOf("nmsrs")), (uint)entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(Entry(i)[_entry.OffsetOf("index")..], entries[i].Index);
            BinaryPrimitives.WriteUInt64LittleEndian(Entry(i)[_entry.OffsetOf("data")..], entries[i].Value);
        }
    }

    public byte[] Bytes { get; }
    public nint Address => Marshal.UnsafeAddrOfPinnedArrayElement(Bytes, 0);

    public ulong ValueAt(int i) => BinaryPrimitives.ReadUInt64LittleEndian(Entry(i)[_entry.OffsetOf("data")..]);

    private Span<byte> Entry(int i) => Bytes.AsSpan(_entriesOffset + i * _entry.Size, _entry.Size);
}
