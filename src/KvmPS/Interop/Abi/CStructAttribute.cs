namespace KvmPS.Interop.Abi;

/// <summary>
/// Marks a blittable struct as the module's one declaration of a kernel struct (or of a named member of one, such
/// as kvm_run's <c>io</c>). Its layout is read by reflection (<see cref="ReflectedLayout"/>) and the ABI tests
/// compare its size and every field's offset and size with the C headers of each architecture.
/// </summary>
[AttributeUsage(AttributeTargets.Struct)]
internal sealed class CStructAttribute(string name) : Attribute
{
    /// <summary>The kernel's name without the <c>struct</c> keyword, e.g. <c>kvm_userspace_memory_region</c>.</summary>
    public string Name { get; } = name;

    /// <summary>Declared as a C union: every field starts at offset 0.</summary>
    public bool IsUnion { get; init; }
}

/// <summary>The C member name of a field whose name is not the snake_case of the C# name.</summary>
[AttributeUsage(AttributeTargets.Field)]
internal sealed class CNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>
/// A flexible array member (<c>__u8 data[]</c>) that ends the struct: C# cannot declare it, so it is named here and
/// placed at the struct's end, aligned to its element, with no size of its own.
/// </summary>
[AttributeUsage(AttributeTargets.Struct)]
internal sealed class CFlexibleArrayAttribute(string name, Type element) : Attribute
{
    public string Name { get; } = name;
    public Type Element { get; } = element;
}
