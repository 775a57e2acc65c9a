namespace KvmPS.Abi.Tests;

/// <summary>
/// One integer constant to read out of the kernel headers: a C constant expression, optionally only where
/// <see cref="Guard"/> is #defined. <see cref="Key"/> names it in the results.
/// </summary>
public sealed record ProbeItem(string Key, string Expression, string? Guard = null)
{
    /// <summary>An ioctl request number: the macro's value, where the headers define it.</summary>
    public static ProbeItem Ioctl(string name) => new(IoctlKey(name), $"(unsigned int)({name})", name);

    /// <summary>Any other integer macro, e.g. a KVM_CAP_* number.</summary>
    public static ProbeItem Macro(string name) => new(MacroKey(name), name, name);

    public static ProbeItem SizeOf(string structName) => new(SizeOfKey(structName), $"sizeof(struct {structName})");

    public static ProbeItem OffsetOf(string structName, string path) =>
        new(OffsetOfKey(structName, path), $"offsetof(struct {structName}, {path})");

    public static ProbeItem MemberSize(string structName, string path) =>
        new(MemberSizeKey(structName, path), $"sizeof(((struct {structName} *)0)->{path})");

    public static string IoctlKey(string name) => $"ioctl {name}";
    public static string MacroKey(string name) => $"macro {name}";
    public static string SizeOfKey(string structName) => $"sizeof {structName}";
    public static string OffsetOfKey(string structName, string path) => $"offsetof {structName} {path}";
    public static string MemberSizeKey(string structName, string path) => $"membersize {structName} {path}";
}
