namespace KvmPS.Interop.Abi;

/// <summary>
/// The memory layout of one kernel struct or union on one architecture: total size, alignment and every
/// member's offset, computed with the C rules all four supported ABIs share (members aligned to their
/// natural alignment, the aggregate padded to a multiple of its largest member alignment).
/// </summary>
internal sealed class CStructLayout
{
    internal CStructLayout(string name, bool isUnion, int size, int alignment, IReadOnlyList<CField> fields)
    {
        Name = name;
        IsUnion = isUnion;
        Size = size;
        Alignment = alignment;
        Fields = fields;
    }

    /// <summary>The kernel's name without the <c>struct</c> keyword, e.g. <c>kvm_userspace_memory_region</c>.</summary>
    public string Name { get; }
    public bool IsUnion { get; }
    public int Size { get; }
    public int Alignment { get; }
    public IReadOnlyList<CField> Fields { get; }

    public static CStructBuilder Struct(string name) => new(name, isUnion: false);
    public static CStructBuilder Union(string name) => new(name, isUnion: true);

    /// <summary>
    /// The byte offset of a member path as C's offsetof() takes it: <c>io.data_offset</c>, <c>mmio.data</c>,
    /// <c>internal.data[2]</c>, <c>entries[3].eax</c> (a flexible array takes any index). Members of anonymous
    /// unions and structs are found as if declared in the parent.
    /// </summary>
    public int OffsetOf(string path) => Resolve(path).Offset;

    /// <summary>The field a member path names, with its absolute offset in this aggregate.</summary>
    public CField Resolve(string path)
    {
        CStructLayout current = this;
        int baseOffset = 0;
        CField? found = null;
        foreach (string part in path.Split('.'))
        {
            if (found is not null)
            {
                current = found.Aggregate ?? throw new ArgumentException($"'{path}': '{found.Name}' in {Name} is not a struct or union.", nameof(path));
            }
            (string memberName, int? index) = SplitIndex(part);
            (CField field, int offset) = FindMember(current, memberName)
                ?? throw new ArgumentException($"struct {Name} has no member '{path}'.", nameof(path));
            if (index is int i)
            {
                if (!field.IsArray || i < 0 || (i >= field.Count && field.Count > 0))
                {
                    throw new ArgumentException($"'{part}' is outside {current.Name}.{memberName}.", nameof(path));
                }
                offset += i * field.ElementSize;
                field = field with { Count = 1, IsArray = false };
            }
            baseOffset += offset;
            found = field with { Offset = baseOffset };
        }
        return found!;
    }

    private static (CField Field, int Offset)? FindMember(CStructLayout layout, string name)
    {
        foreach (CField field in layout.Fields)
        {
            if (field.Name == name)
            {
                return (field, field.Offset);
            }
            if (field.IsAnonymous && FindMember(field.Aggregate!, name) is (CField inner, int innerOffset))
            {
                return (inner, field.Offset + innerOffset);
            }
        }
        return null;
    }

    private static (string Name, int? Index) SplitIndex(string part)
    {
        int open = part.IndexOf('[');
        if (open < 0)
        {
            return (part, null);
        }
        return (part[..open], int.Parse(part[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture));
    }

    public override string ToString() => $"{(IsUnion ? "union" : "struct")} {Name} ({Size} bytes)";
}
