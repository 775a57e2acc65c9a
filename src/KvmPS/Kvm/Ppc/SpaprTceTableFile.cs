using System.Text;
using KvmPS.Interop;

namespace KvmPS.Kvm.Ppc;

/// <summary>
/// The export format of a TCE table, little-endian throughout so a file moves between hosts:
/// a 48-byte header — magic "KVMPSTCE", u32 version (1), u32 header length (48), u64 LIOBN, u32 page shift,
/// u32 reserved (0), u64 offset in pages, u64 entry count — then one u64 per entry in index order.
/// </summary>
public static class SpaprTceTableFile
{
    public const uint Version = 1;
    public const int HeaderLength = 48;
    private static readonly byte[] s_magic = Encoding.ASCII.GetBytes("KVMPSTCE");

    public static void Write(string path, SpaprTceWindow window, IReadOnlyList<ulong> entries)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(s_magic);
        writer.Write(Version);
        writer.Write((uint)HeaderLength);
        writer.Write(window.Liobn);
        writer.Write((uint)window.PageShift);
        writer.Write(0u);
        writer.Write(window.Offset);
        writer.Write((ulong)entries.Count);
        foreach (ulong entry in entries)
        {
            writer.Write(entry);
        }
    }

    /// <summary>The entries of the file at <paramref name="path"/>, which must describe exactly <paramref name="expected"/>.</summary>
    public static ulong[] Read(string path, SpaprTceWindow expected)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        long length = reader.BaseStream.Length;
        if (length < HeaderLength || !reader.ReadBytes(s_magic.Length).AsSpan().SequenceEqual(s_magic))
        {
            throw KvmPSException.InvalidArgument("TceFileNotRecognized", $"'{path}' is not an exported TCE table (no KVMPSTCE header).");
        }
        uint version = reader.ReadUInt32();
        uint headerLength = reader.ReadUInt32();
        if (version != Version || headerLength != HeaderLength)
        {
            throw KvmPSException.InvalidArgument("TceFileVersionUnsupported",
                $"'{path}' is TCE table format version {version} (header {headerLength} bytes); this KvmPS reads version {Version} only.");
        }
        var saved = new SpaprTceWindow(reader.ReadUInt64(), (int)reader.ReadUInt32(), 0, 0);
        reader.ReadUInt32();
        saved = saved with { Offset = reader.ReadUInt64(), Size = reader.ReadUInt64() };
        if (saved != expected)
        {
            throw KvmPSException.InvalidArgument("TceTableMismatch",
                $"'{path}' holds the table of {Describe(saved)}, but the target table is {Describe(expected)}. " +
                "Import into a table created with the same LIOBN, page shift, offset and size.");
        }
        if ((ulong)(length - HeaderLength) != saved.EntryCount * sizeof(ulong))
        {
            throw KvmPSException.InvalidArgument("TceFileLengthMismatch",
                $"'{path}' declares {saved.EntryCount} entries but holds {length - HeaderLength} bytes of entries; the file is truncated or corrupt.");
        }
        var entries = new ulong[saved.EntryCount];
        for (int index = 0; index < entries.Length; index++)
        {
            entries[index] = reader.ReadUInt64();
        }
        return entries;
    }

    private static string Describe(SpaprTceWindow window) =>
        $"LIOBN 0x{window.Liobn:X} (page shift {window.PageShift}, offset {window.Offset} pages, {window.EntryCount} entries)";
}
