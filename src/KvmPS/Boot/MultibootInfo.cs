using System.Buffers.Binary;
using System.Text;

namespace KvmPS.Boot;

/// <summary>
/// The multiboot v1 information structure and everything it points to, laid out as one block for guest
/// address <see cref="Address"/> (Multiboot Specification 0.6.96, 3.3): the 116-byte info structure, the memory
/// map, the module list, the strings, then each module on its own page.
/// </summary>
public sealed class MultibootInfo
{
    public const uint BootloaderMagic = 0x2BAD_B002;
    public const string BootloaderName = "KvmPS";

    // Offsets of the info structure's fields (spec 3.3).
    public const int FlagsOffset = 0;
    public const int MemLowerOffset = 4;
    public const int MemUpperOffset = 8;
    public const int CmdlineOffset = 16;
    public const int ModsCountOffset = 20;
    public const int ModsAddrOffset = 24;
    public const int MmapLengthOffset = 44;
    public const int MmapAddrOffset = 48;
    public const int BootLoaderNameOffset = 64;

    public const uint FlagMemory = 1 << 0;
    public const uint FlagCmdline = 1 << 2;
    public const uint FlagModules = 1 << 3;
    public const uint FlagMemoryMap = 1 << 6;
    public const uint FlagBootLoaderName = 1 << 9;

    /// <summary>The conventional memory below the EBDA; 0x9FC00-0xFFFFF is reserved (EBDA, VGA, BIOS).</summary>
    public const ulong LowMemoryEnd = 0x9_FC00;
    public const ulong HighMemoryStart = 0x10_0000;
    public const uint MemLowerKiB = 640;

    public const uint MemoryAvailable = 1;
    public const uint MemoryReserved = 2;

    private const int MmapOffset = 128;
    private const int MmapEntrySize = 24;   // size (u32, not counting itself = 20), base_addr, length, type
    private const int ModuleEntrySize = 16; // mod_start, mod_end, string, reserved
    private const int PageSize = 4096;

    private MultibootInfo(ulong address, byte[] bytes, IReadOnlyList<(ulong Start, ulong End)> modules)
    {
        Address = address;
        Bytes = bytes;
        Modules = modules;
    }

    /// <summary>Where the info structure starts; <see cref="Bytes"/> go there.</summary>
    public ulong Address { get; }
    public byte[] Bytes { get; }
    public ulong EndAddress => Address + (ulong)Bytes.Length;

    /// <summary>Each module's guest range, [Start, End).</summary>
    public IReadOnlyList<(ulong Start, ulong End)> Modules { get; }

    /// <summary>The bytes the block needs, for placing it before building it.</summary>
    public static ulong SizeFor(string cmdline, IReadOnlyList<(string Name, byte[] Data)> modules) =>
        (ulong)Layout(cmdline, modules).Length;

    /// <summary>Lays out the block for <paramref name="address"/> (page-aligned) in a VM of <paramref name="ramSize"/> bytes of RAM at 0.</summary>
    public static MultibootInfo Build(ulong address, ulong ramSize, string cmdline, IReadOnlyList<(string Name, byte[] Data)> modules)
    {
        ArgumentNullException.ThrowIfNull(cmdline);
        ArgumentNullException.ThrowIfNull(modules);
        if (address % PageSize != 0)
        {
            throw new ArgumentException($"The multiboot information must start on a page; 0x{address:X} does not.", nameof(address));
        }
        if (ramSize <= HighMemoryStart)
        {
            throw new ArgumentException($"A multiboot VM needs RAM above 1 MiB; 0x{ramSize:X} bytes were given.", nameof(ramSize));
        }
        BlockLayout layout = Layout(cmdline, modules);
        var bytes = new byte[layout.Length];
        Span<byte> info = bytes;
        uint At(int offset) => checked((uint)(address + (ulong)offset));

        Put(info, FlagsOffset, FlagMemory | FlagCmdline | FlagModules | FlagMemoryMap | FlagBootLoaderName);
        Put(info, MemLowerOffset, MemLowerKiB);
        Put(info, MemUpperOffset, checked((uint)((ramSize - HighMemoryStart) / 1024)));
        Put(info, CmdlineOffset, At(layout.CmdlineOffset));
        Put(info, ModsCountOffset, (uint)modules.Count);
        Put(info, ModsAddrOffset, At(layout.ModulesOffset));
        Put(info, MmapLengthOffset, 3 * MmapEntrySize);
        Put(info, MmapAddrOffset, At(MmapOffset));
        Put(info, BootLoaderNameOffset, At(layout.LoaderNameOffset));

        (ulong Base, ulong Length, uint Type)[] map =
        [
            (0, LowMemoryEnd, MemoryAvailable),
            (LowMemoryEnd, HighMemoryStart - LowMemoryEnd, MemoryReserved),
            (HighMemoryStart, ramSize - HighMemoryStart, MemoryAvailable),
        ];
        for (int i = 0; i < map.Length; i++)
        {
            Span<byte> entry = info[(MmapOffset + i * MmapEntrySize)..];
            Put(entry, 0, MmapEntrySize - 4);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[4..], map[i].Base);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[12..], map[i].Length);
            Put(entry, 20, map[i].Type);
        }

        WriteString(info, layout.CmdlineOffset, cmdline);
        WriteString(info, layout.LoaderNameOffset, BootloaderName);
        var ranges = new (ulong, ulong)[modules.Count];
        for (int i = 0; i < modules.Count; i++)
        {
            Span<byte> entry = info[(layout.ModulesOffset + i * ModuleEntrySize)..];
            int dataOffset = layout.ModuleDataOffsets[i];
            Put(entry, 0, At(dataOffset));
            Put(entry, 4, At(dataOffset + modules[i].Data.Length));
            Put(entry, 8, At(layout.ModuleNameOffsets[i]));
            WriteString(info, layout.ModuleNameOffsets[i], modules[i].Name);
            modules[i].Data.CopyTo(info[dataOffset..]);
            ranges[i] = (address + (ulong)dataOffset, address + (ulong)(dataOffset + modules[i].Data.Length));
        }
        return new MultibootInfo(address, bytes, ranges);
    }

    /// <summary>An environment module: one KEY=VALUE line per variable, in the given order.</summary>
    public static (string Name, byte[] Data) EnvironmentModule(IEnumerable<KeyValuePair<string, string>> variables, string name = "env") =>
        (name, Encoding.UTF8.GetBytes(string.Concat(variables.Select(v => $"{v.Key}={v.Value}\n"))));

    private sealed record BlockLayout(int CmdlineOffset, int LoaderNameOffset, int ModulesOffset, int[] ModuleNameOffsets, int[] ModuleDataOffsets, int Length);

    private static BlockLayout Layout(string cmdline, IReadOnlyList<(string Name, byte[] Data)> modules)
    {
        int modulesOffset = MmapOffset + 3 * MmapEntrySize;
        int next = modulesOffset + modules.Count * ModuleEntrySize;
        int cmdlineOffset = next;
        next += Encoding.UTF8.GetByteCount(cmdline) + 1;
        int loaderNameOffset = next;
        next += BootloaderName.Length + 1;
        var names = new int[modules.Count];
        for (int i = 0; i < modules.Count; i++)
        {
            names[i] = next;
            next += Encoding.UTF8.GetByteCount(modules[i].Name) + 1;
        }
        var data = new int[modules.Count];
        for (int i = 0; i < modules.Count; i++)
        {
            next = checked((next + PageSize - 1) / PageSize * PageSize);
            data[i] = next;
            next = checked(next + modules[i].Data.Length);
        }
        return new BlockLayout(cmdlineOffset, loaderNameOffset, modulesOffset, names, data, next);
    }

    private static void Put(Span<byte> target, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(target[offset..], value);

    private static void WriteString(Span<byte> target, int offset, string value)
    {
        int length = Encoding.UTF8.GetBytes(value, target[offset..]);
        target[offset + length] = 0;
    }
}
