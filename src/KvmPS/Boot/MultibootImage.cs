using System.Buffers.Binary;

namespace KvmPS.Boot;

/// <summary>
/// A multiboot v1 kernel: an x86 ELF executable whose first 8192 bytes hold, 4-byte aligned, the header
/// magic 0x1BADB002, flags and a checksum with magic + flags + checksum == 0 (Multiboot Specification 0.6.96, 3.1).
/// The ELF program headers say where it loads; the physical entry point is e_entry translated through the
/// segment that contains it.
/// </summary>
public sealed class MultibootImage
{
    public const uint HeaderMagic = 0x1BAD_B002;
    public const int HeaderSearchLength = 8192;

    /// <summary>Flag bits 0 (page-align modules) and 1 (memory information) are honoured; modules are always page-aligned.</summary>
    private const uint UnderstoodRequiredFlags = 0b11;

    private MultibootImage(ElfClass elfClass, uint entry, int headerOffset, uint headerFlags, IReadOnlyList<LoadSegment> segments)
    {
        Class = elfClass;
        Entry = entry;
        HeaderOffset = headerOffset;
        HeaderFlags = headerFlags;
        Segments = segments;
    }

    public ElfClass Class { get; }

    /// <summary>The physical address the boot CPU starts at, in 32-bit protected mode.</summary>
    public uint Entry { get; }

    public int HeaderOffset { get; }
    public uint HeaderFlags { get; }

    /// <summary>The PT_LOAD segments in ascending physical order, none overlapping.</summary>
    public IReadOnlyList<LoadSegment> Segments { get; }

    public ulong LowestAddress => Segments[0].PhysicalAddress;
    public ulong EndAddress => Segments.Max(s => s.EndAddress);

    public static MultibootImage Parse(ReadOnlySpan<byte> file)
    {
        ElfFile elf = ElfFile.Parse(file);
        (int offset, uint flags) = FindHeader(file);
        if ((flags & 0xFFFF & ~UnderstoodRequiredFlags) != 0)
        {
            throw BootErrors.InvalidImage($"the multiboot header asks for features KvmPS does not provide (required flag bits 0x{flags & 0xFFFF & ~UnderstoodRequiredFlags:X}; video modes are not offered).");
        }
        LoadSegment? holder = elf.Segments.FirstOrDefault(s => elf.Entry >= s.VirtualAddress && elf.Entry < s.VirtualAddress + s.MemorySize);
        if (holder is null)
        {
            throw BootErrors.InvalidImage($"the entry point 0x{elf.Entry:X} lies outside every PT_LOAD segment.");
        }
        return new MultibootImage(elf.Class, (uint)(elf.Entry - holder.VirtualAddress + holder.PhysicalAddress), offset, flags, elf.Segments);
    }

    private static (int Offset, uint Flags) FindHeader(ReadOnlySpan<byte> file)
    {
        int limit = Math.Min(file.Length, HeaderSearchLength);
        int? badChecksumAt = null;
        for (int at = 0; at + 12 <= limit; at += 4)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(file[at..]) != HeaderMagic)
            {
                continue;
            }
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 4)..]);
            uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(file[(at + 8)..]);
            if (unchecked(HeaderMagic + flags + checksum) == 0)
            {
                return (at, flags);
            }
            badChecksumAt ??= at;
        }
        throw BootErrors.InvalidImage(badChecksumAt is int bad
            ? $"the multiboot header at offset 0x{bad:X} has a bad checksum (magic + flags + checksum must be 0 mod 2^32)."
            : $"no multiboot header (magic 0x{HeaderMagic:X8}, 4-byte aligned) in the first {HeaderSearchLength} bytes.");
    }
}
