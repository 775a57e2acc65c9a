using System.Buffers.Binary;

namespace KvmPS.Boot;

/// <summary>
/// The parts of an x86 ELF executable a loader needs: class, machine, entry and the PT_LOAD program headers
/// (System V ABI, ELF header and program header table). Every read is bounds-checked against the file.
/// </summary>
internal sealed class ElfFile
{
    private const ushort EtExec = 2;
    private const ushort Em386 = 3;
    private const ushort EmX8664 = 62;
    private const uint PtLoad = 1;

    private ElfFile(ElfClass elfClass, ulong entry, IReadOnlyList<LoadSegment> segments)
    {
        Class = elfClass;
        Entry = entry;
        Segments = segments;
    }

    public ElfClass Class { get; }
    public ulong Entry { get; }
    public IReadOnlyList<LoadSegment> Segments { get; }

    public static ElfFile Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < 16 || file[0] != 0x7F || file[1] != (byte)'E' || file[2] != (byte)'L' || file[3] != (byte)'F')
        {
            throw BootErrors.InvalidImage(file.Length < 4 ? $"the file is {file.Length} bytes, too short for an ELF header." : "it is not an ELF file (no \\x7FELF magic).");
        }
        var elfClass = (ElfClass)file[4];
        if (elfClass is not (ElfClass.Elf32 or ElfClass.Elf64))
        {
            throw BootErrors.InvalidImage($"EI_CLASS is {file[4]}, neither ELFCLASS32 nor ELFCLASS64.");
        }
        if (file[5] != 1)
        {
            throw BootErrors.InvalidImage($"EI_DATA is {file[5]}; x86 kernels are little endian (ELFDATA2LSB).");
        }
        bool is64 = elfClass == ElfClass.Elf64;
        int headerSize = is64 ? 64 : 52;
        if (file.Length < headerSize)
        {
            throw BootErrors.InvalidImage($"the file is truncated: {file.Length} bytes, but an {elfClass} header needs {headerSize}.");
        }
        ushort type = U16(file, 16);
        ushort machine = U16(file, 18);
        ushort expected = is64 ? EmX8664 : Em386;
        if (machine != expected)
        {
            throw BootErrors.InvalidImage($"class mismatch: {elfClass} needs machine {(is64 ? "EM_X86_64 (62)" : "EM_386 (3)")}, the file says {machine}.");
        }
        if (type != EtExec)
        {
            throw BootErrors.InvalidImage($"e_type is {type}, not ET_EXEC (2): link the kernel as an executable.");
        }
        ulong entry = is64 ? U64(file, 24) : U32(file, 24);
        ulong phoff = is64 ? U64(file, 32) : U32(file, 28);
        int phentsize = U16(file, is64 ? 54 : 42);
        int phnum = U16(file, is64 ? 56 : 44);
        int minimum = is64 ? 56 : 32;
        if (phnum == 0)
        {
            throw BootErrors.InvalidImage("it has no program headers.");
        }
        if (phentsize < minimum)
        {
            throw BootErrors.InvalidImage($"e_phentsize is {phentsize}, smaller than an {elfClass} program header ({minimum}).");
        }
        if (!Fits(phoff, (ulong)phentsize * (ulong)phnum, file.Length))
        {
            throw BootErrors.InvalidImage($"the file is truncated: its {phnum} program headers at offset 0x{phoff:X} end beyond its {file.Length} bytes.");
        }
        var segments = new List<LoadSegment>();
        for (int i = 0; i < phnum; i++)
        {
            ReadOnlySpan<byte> ph = file.Slice((int)phoff + i * phentsize, phentsize);
            if (U32(ph, 0) != PtLoad)
            {
                continue;
            }
            (ulong offset, ulong vaddr, ulong paddr, ulong filesz, ulong memsz) = is64
                ? (U64(ph, 8), U64(ph, 16), U64(ph, 24), U64(ph, 32), U64(ph, 40))
                : (U32(ph, 4), U32(ph, 8), U32(ph, 12), U32(ph, 16), (ulong)U32(ph, 20));
            if (memsz == 0)
            {
                continue;
            }
            if (filesz > memsz)
            {
                throw BootErrors.InvalidImage($"segment {i}: p_filesz 0x{filesz:X} exceeds p_memsz 0x{memsz:X}.");
            }
            if (!Fits(offset, filesz, file.Length))
            {
                throw BootErrors.InvalidImage($"segment {i} (0x{filesz:X} bytes at file offset 0x{offset:X}) lies beyond the end of the {file.Length}-byte file; the file is truncated or corrupt.");
            }
            if (paddr + memsz < paddr || paddr + memsz > 1UL << 32)
            {
                throw BootErrors.InvalidImage($"segment {i} (0x{paddr:X}+0x{memsz:X}) reaches beyond 4 GiB, which a 32-bit multiboot entry cannot address.");
            }
            segments.Add(new LoadSegment(paddr, vaddr, memsz, file.Slice((int)offset, (int)filesz).ToArray()));
        }
        if (segments.Count == 0)
        {
            throw BootErrors.InvalidImage("it has no PT_LOAD segment.");
        }
        segments.Sort((a, b) => a.PhysicalAddress.CompareTo(b.PhysicalAddress));
        for (int i = 1; i < segments.Count; i++)
        {
            if (segments[i - 1].EndAddress > segments[i].PhysicalAddress)
            {
                throw BootErrors.InvalidImage($"segments overlap: {segments[i - 1]} and {segments[i]}.");
            }
        }
        return new ElfFile(elfClass, entry, segments);
    }

    private static bool Fits(ulong offset, ulong length, int fileLength) =>
        offset <= (ulong)fileLength && length <= (ulong)fileLength - offset;

    private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);
    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);
    private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
