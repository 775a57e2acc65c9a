using System.Reflection;

namespace KvmPS.Tests.Metadata;

/// <summary>Paths the metadata tests read: the repository and the PowerShell reference assembly.</summary>
internal static class Repository
{
    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string Root => Metadata("RepositoryRoot");
    public static string SmaReference => Metadata("SmaReferencePath");
    public static string PathOf(string relative) => Path.Combine(Root, relative);
}
