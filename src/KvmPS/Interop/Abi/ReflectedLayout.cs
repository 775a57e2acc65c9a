using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace KvmPS.Interop.Abi;

/// <summary>
/// The <see cref="CStructLayout"/> of a C# struct marked <see cref="CStructAttribute"/>, read from the runtime's
/// own field offsets. The four supported ABIs are LP64 with natural alignment, so the offsets the runtime computes
/// on the build host are those of every architecture; the ABI tests hold that claim against each one's headers.
/// Fields named with a leading underscore are padding the header does not name: they take space, not a name.
/// </summary>
internal static class ReflectedLayout
{
    private static readonly Dictionary<Type, CStructLayout> s_cache = [];

    public static CStructLayout Of<T>() where T : unmanaged => Of(typeof(T));

    public static CStructLayout Of(Type type)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(type, out CStructLayout? layout))
            {
                s_cache[type] = layout = Build(type);
            }
            return layout;
        }
    }

    /// <summary>Every C# struct read so far: the ABI tests check that each [CStruct] type is among them.</summary>
    public static IReadOnlyCollection<Type> TypesRead
    {
        get
        {
            lock (s_cache)
            {
                return s_cache.Keys.ToArray();
            }
        }
    }

    public static string NameOf(Type type) => type.GetCustomAttribute<CStructAttribute>()?.Name
        ?? throw new InvalidOperationException($"{type} has no [CStruct] naming its kernel struct.");

    private static CStructLayout Build(Type type)
    {
        if (!type.IsValueType || type.StructLayoutAttribute?.Value == LayoutKind.Auto)
        {
            throw new InvalidOperationException($"{type} is not a struct with a sequential or explicit layout.");
        }
        var attribute = type.GetCustomAttribute<CStructAttribute>();
        var fields = new List<CField>();
        int alignment = 1;
        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            int offset = (int)Marshal.OffsetOf(type, field.Name);
            CField member = Member(field, offset);
            alignment = Math.Max(alignment, member.Alignment);
            if (CName(field) is not null)
            {
                fields.Add(member);
            }
        }
        fields.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        int size = Marshal.SizeOf(type);
        if (type.GetCustomAttribute<CFlexibleArrayAttribute>() is CFlexibleArrayAttribute flexible)
        {
            CPrimitive element = Primitive(flexible.Element);
            int offset = (size + element.Alignment - 1) / element.Alignment * element.Alignment;
            fields.Add(new CField(flexible.Name, offset, element, null, 0, IsArray: true));
        }
        return new CStructLayout(attribute?.Name ?? type.Name, attribute?.IsUnion ?? false, size, alignment, fields);
    }

    /// <summary>The runtime's size of the struct (Marshal.SizeOf would count an [InlineArray] as one element).</summary>
    private static int RuntimeSize(Type type) =>
        (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;

    private static CField Member(FieldInfo field, int offset)
    {
        string name = CName(field) ?? "";
        if (field.GetCustomAttribute<FixedBufferAttribute>() is FixedBufferAttribute buffer)
        {
            return new CField(name, offset, Primitive(buffer.ElementType), null, buffer.Length, IsArray: true);
        }
        Type type = field.FieldType;
        if (type.GetCustomAttribute<InlineArrayAttribute>() is InlineArrayAttribute inline)
        {
            Type element = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)[0].FieldType;
            return element.IsPrimitive
                ? new CField(name, offset, Primitive(element), null, inline.Length, IsArray: true)
                : new CField(name, offset, null, Of(element), inline.Length, IsArray: true);
        }
        return type.IsPrimitive
            ? new CField(name, offset, Primitive(type), null, 1, IsArray: false)
            : new CField(name, offset, null, Of(type), 1, IsArray: false);
    }

    private static CPrimitive Primitive(Type type) =>
        type == typeof(byte) || type == typeof(sbyte) ? CPrimitive.U8
        : type == typeof(ushort) ? CPrimitive.U16
        : type == typeof(short) ? CPrimitive.S16
        : type == typeof(uint) ? CPrimitive.U32
        : type == typeof(int) ? CPrimitive.S32
        : type == typeof(ulong) ? CPrimitive.U64
        : type == typeof(long) ? CPrimitive.S64
        : throw new InvalidOperationException($"{type} has no C counterpart in the kernel's UAPI types.");

    /// <summary>The C member name: [CName], else the snake_case of the field name; null for unnamed padding.</summary>
    private static string? CName(FieldInfo field)
    {
        if (field.GetCustomAttribute<CNameAttribute>() is CNameAttribute explicitName)
        {
            return explicitName.Name;
        }
        string name = field.Name;
        int fixedBuffer = name.IndexOf('>');   // a fixed buffer's backing field is "<Name>e__FixedBuffer"
        if (name.StartsWith('<') && fixedBuffer > 0)
        {
            name = name[1..fixedBuffer];
        }
        return name.StartsWith('_') ? null : SnakeCase(name);
    }

    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
            {
                builder.Append('_');
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
