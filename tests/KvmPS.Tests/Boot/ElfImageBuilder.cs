using System.Buffers.Binary;
using KvmPS.Boot;

namespace KvmPS.Tests.Boot;

/// <summary>Writes small x86 ELF executables, well-formed or deliberately not, for the parser tests.</summary>
internal sealed class ElfImageBuilder
{
    public ElfClass Class { get; init; } = ElfClass.Elf32;
    public ushort? Machine { get; init; }
    public ulong Entry { get; init; } = 0x10_0000;
    public List<(ulong Address, byte[] Data, ulong MemorySize)> Segments { get; init; } = [(0x10_0000, new byte[64], 0x2000)];
    public bool WithMultibootHeader { get; init; } = true;
    public uint HeaderFlags { get; init; } = 3;
    public uint? Checksum { get; init; }
    public int HeaderOffset { get; init; } = 0x200;

    public byte[] Build()
    {
        bool is64 = Class == ElfClass.Elf64;
        int ehsize = is64 ? 64 : 52;
        int phentsize = is64 ? 56 : 32;
        int dataStart = 0x1000;
        var offsets = new List<int>();
        int next = dataStart;
        foreach (var segment in Segments)
        {
            offsets.Add(next);
            next += (segment.Data.Length + 0xFFF) / 0x1000 * 0x1000;
        }
        var file = new byte[Math.Max(next, dataStart)];
        Span<byte> f = file;
        f[0] = 0x7F; f[1] = (byte)'E'; f[2] = (byte)'L'; f[3] = (byte)'F';
        f[4] = (byte)Class; f[5] = 1; f[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(f[16..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(f[18..], Machine ?? (ushort)(is64 ? 62 : 3));
        BinaryPrimitives.WriteUInt32LittleEndian(f[20..], 1);
        if (is64)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(f[24..], Entry);
            BinaryPrimitives.WriteUInt64LittleEndian(f[32..], (ulong)ehsize);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(f[24..], (uint)Entry);
            BinaryPrimitives.WriteUInt32LittleEndian(f[28..], (uint)ehsize);
        }
        BinaryPrimitives.WriteUInt16LittleEndian(f[(is64 ? 52 : 40)..], (ushort)ehsize);
        BinaryPrimitives.WriteUInt16LittleEndian(f[(is64 ? 54 : 42)..], (ushort)phentsize);
        BinaryPrimitives.WriteUInt16LittleEndian(f[(is64 ? 56 : 44)..], (ushort)Segments.Count);
        for (int i = 0; i < Segments.Count; i++)
        {
            (ulong address, byte[] data, ulong memsz) = Segments[i];
            Span<byte> ph = f[(ehsize + i * phentsize)..];
            BinaryPrimitives.WriteUInt32LittleEndian(ph, 1);
            if (is64)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], (ulong)offsets[i]);
                BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], address);
                BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], address);
                BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], (ulong)data.Length);
                BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], memsz);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], (uint)offsets[i]);
                BinaryPrimitives.WriteUInt32LittleEndian(ph[8..], (uint)address);
                BinaryPrimitives.WriteUInt32LittleEndian(ph[12..], (uint)address);
                BinaryPrimitives.WriteUInt32LittleEndian(ph[16..], (uint)data.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(ph[20..], (uint)memsz);
            }
            data.CopyTo(f[offsets[i]..]);
        }
        if (WithMultibootHeader)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(f[HeaderOffset..], MultibootImage.HeaderMagic);
            BinaryPrimitives.WriteUInt32LittleEndian(f[(HeaderOffset + 4)..], HeaderFlags);
            BinaryPrimitives.WriteUInt32LittleEndian(f[(HeaderOffset + 8)..], Checksum ?? unchecked(0u - MultibootImage.HeaderMagic - HeaderFlags));
        }
        return file;
    }
}
