namespace KvmPS.Interop.Abi;

/// <summary>
/// A struct the module passes to the kernel, with its layout on each architecture whose UAPI headers define
/// it, and the member paths whose offsets the module relies on (checked against the headers).
/// </summary>
internal sealed class KernelStruct
{
    private readonly Func<CpuArchitecture, CStructLayout?> _layoutFor;
    private readonly Func<CStructLayout, IReadOnlyList<string>> _checkedFields;
    private readonly Dictionary<CpuArchitecture, CStructLayout?> _cache = [];

    private KernelStruct(string name, Func<CpuArchitecture, CStructLayout?> layoutFor, Func<CStructLayout, IReadOnlyList<string>> checkedFields)
    {
        Name = name;
        _layoutFor = layoutFor;
        _checkedFields = checkedFields;
    }

    private KernelStruct(string name, Func<CpuArchitecture, CStructLayout?> layoutFor, string[] checkedFields)
        : this(name, layoutFor, _ => checkedFields)
    {
    }

    public string Name { get; }

    /// <summary>
    /// Member paths (offsetof syntax) whose offsets the module reads or writes directly, on an architecture whose
    /// headers define the struct (none elsewhere).
    /// </summary>
    public IReadOnlyList<string> CheckedFieldsOn(CpuArchitecture arch) =>
        LayoutFor(arch) is CStructLayout layout ? _checkedFields(layout) : [];

    /// <summary>The same layout wherever <paramref name="on"/> says the headers define it.</summary>
    public static KernelStruct On(ArchitectureSet on, CStructLayout layout, params string[] checkedFields) =>
        new(layout.Name, arch => on.Contains(arch) ? layout : null, checkedFields);

    public static KernelStruct Everywhere(CStructLayout layout, params string[] checkedFields) =>
        On(ArchitectureSet.All, layout, checkedFields);

    /// <summary>
    /// The kernel struct a C# struct declares (<see cref="CStructAttribute"/>), where <paramref name="on"/> says the
    /// headers define it; every member is checked.
    /// </summary>
    internal static KernelStruct Of<T>(ArchitectureSet on = ArchitectureSet.All) where T : unmanaged
    {
        CStructLayout layout = ReflectedLayout.Of<T>();
        return new KernelStruct(ReflectedLayout.NameOf(typeof(T)), arch => on.Contains(arch) ? layout : null,
            LayoutMembers.Of(layout).Select(member => member.Path).ToArray()) { DeclaringType = typeof(T) };
    }

    /// <summary>
    /// A struct that differs between architectures, every member of whose layout on each is checked except the
    /// paths <paramref name="unchecked"/> names (those another KernelStruct checks, say).
    /// </summary>
    internal static KernelStruct PerArchitectureEveryMember(string name, Func<CpuArchitecture, CStructLayout?> layoutFor,
        Func<string, bool>? @unchecked = null) =>
        new(name, layoutFor, layout => LayoutMembers.Of(layout).Select(member => member.Path)
            .Where(path => @unchecked?.Invoke(path) != true).ToArray());

    /// <summary>The C# struct that declares this kernel struct, when one does (<see cref="Of{T}"/>).</summary>
    internal Type? DeclaringType { get; private init; }

    /// <summary>A struct whose definition lives in each architecture's asm/kvm.h and differs between them.</summary>
    public static KernelStruct PerArchitecture(string name, Func<CpuArchitecture, CStructLayout?> layoutFor, params string[] checkedFields) =>
        new(name, layoutFor, checkedFields);

    public bool IsDefinedOn(CpuArchitecture arch) => LayoutFor(arch) is not null;

    public CStructLayout? LayoutFor(CpuArchitecture arch)
    {
        lock (_cache)
        {
            if (!_cache.TryGetValue(arch, out CStructLayout? layout))
            {
                layout = _layoutFor(arch);
                if (layout is not null && layout.Name != Name)
                {
                    throw new InvalidOperationException($"Layout '{layout.Name}' registered as struct {Name}.");
                }
                _cache[arch] = layout;
            }
            return layout;
        }
    }

    public CStructLayout LayoutOn(CpuArchitecture arch) => LayoutFor(arch)
        ?? throw new IoctlUnavailableException($"struct {Name}", arch);

    public int SizeOn(CpuArchitecture arch) => LayoutOn(arch).Size;

    public override string ToString() => $"struct {Name}";
}
