using System.Reflection;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Interop.Abi;

/// <summary>
/// Every ioctl and struct the module declares, found by reflection over the static readonly fields of the
/// interop layer's types, so a new family of ioctls needs no registration step.
/// </summary>
internal static class AbiCatalog
{
    private static readonly Lazy<IReadOnlyList<IoctlDefinition>> s_ioctls = new(() => Collect<IoctlDefinition>(d => d.Name));
    private static readonly Lazy<IReadOnlyList<KernelStruct>> s_structs = new(() => Collect<KernelStruct>(s => s.Name));

    public static IReadOnlyList<IoctlDefinition> Ioctls => s_ioctls.Value;
    public static IReadOnlyList<KernelStruct> Structs => s_structs.Value;

    public static IoctlDefinition? FindIoctl(string name) => Ioctls.FirstOrDefault(i => i.Name == name);

    /// <summary>
    /// The ABI dump of tests/KvmPS.AbiDump: sorted <c>ioctl NAME number</c>, <c>sizeof struct bytes</c> and
    /// <c>offsetof struct member bytes</c> lines for everything the headers of <paramref name="arch"/> define.
    /// </summary>
    public static IEnumerable<string> Dump(CpuArchitecture arch)
    {
        var lines = new List<string>();
        foreach (IoctlDefinition ioctl in Ioctls.Where(i => i.IsDefinedOn(arch)))
        {
            lines.Add(FormattableString.Invariant($"ioctl {ioctl.Name} {ioctl.RequestOn(arch)}"));
        }
        foreach (KernelStruct kernelStruct in Structs)
        {
            if (kernelStruct.LayoutFor(arch) is not CStructLayout layout)
            {
                continue;
            }
            lines.Add(FormattableString.Invariant($"sizeof {layout.Name} {layout.Size}"));
            foreach (string field in kernelStruct.CheckedFieldsOn(arch))
            {
                lines.Add(FormattableString.Invariant($"offsetof {layout.Name} {field} {layout.OffsetOf(field)}"));
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>
    /// The interop layer's types only: declarations live there by design, and the cmdlet types cannot load where
    /// PowerShell is absent (the ABI dump, the tests).
    /// </summary>
    private static IEnumerable<Type> InteropTypes()
    {
        Type?[] types;
        try
        {
            types = typeof(AbiCatalog).Assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types;
        }
        return types.OfType<Type>().Where(IsInterop);
    }

    private static bool IsInterop(Type type)
    {
        try
        {
            return type.Namespace?.StartsWith("KvmPS.Interop", StringComparison.Ordinal) == true;
        }
        catch (FileNotFoundException)
        {
            return false;   // a type nested in a cmdlet, whose base type needs PowerShell
        }
    }

    private static IReadOnlyList<T> Collect<T>(Func<T, string> nameOf) where T : class
    {
        var byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (Type type in InteropTypes())
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            {
                if (typeof(T).IsAssignableFrom(field.FieldType) && field.IsInitOnly && field.GetValue(null) is T value)
                {
                    if (byName.TryGetValue(nameOf(value), out T? existing) && !ReferenceEquals(existing, value))
                    {
                        throw new InvalidOperationException($"{typeof(T).Name} '{nameOf(value)}' is declared twice; declare it once and share it.");
                    }
                    byName[nameOf(value)] = value;
                }
            }
        }
        return byName.Values.OrderBy(nameOf, StringComparer.Ordinal).ToArray();
    }
}
