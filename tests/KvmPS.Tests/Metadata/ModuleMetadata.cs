using System.Reflection;
using System.Runtime.InteropServices;

namespace KvmPS.Tests.Metadata;

/// <summary>
/// The built KvmPS.dll read through MetadataLoadContext against PowerShell's reference assembly, so cmdlet
/// attributes can be inspected where PowerShell itself is not installed.
/// </summary>
public sealed class ModuleMetadata : IDisposable
{
    private readonly MetadataLoadContext _context;

    public ModuleMetadata()
    {
        string moduleAssembly = typeof(KvmPS.Kvm.KvmSession).Assembly.Location;
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Append(Repository.SmaReference)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "Newtonsoft.Json.dll"))
            .Append(moduleAssembly);
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        Module = _context.LoadFromAssemblyPath(moduleAssembly);
        Sma = _context.LoadFromAssemblyName("System.Management.Automation");
        Cmdlets = Module.GetTypes()
            .Where(t => !t.IsAbstract && CustomAttribute(t, "System.Management.Automation.CmdletAttribute") is not null)
            .Select(t => new CmdletInfo(t, CustomAttribute(t, "System.Management.Automation.CmdletAttribute")!))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToArray();
    }

    public Assembly Module { get; }
    public Assembly Sma { get; }
    public IReadOnlyList<CmdletInfo> Cmdlets { get; }

    /// <summary>PowerShell's approved verbs: the constants of the Verbs* classes in its reference assembly.</summary>
    public IReadOnlySet<string> ApprovedVerbs => Sma.GetTypes()
        .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    internal static CustomAttributeData? CustomAttribute(MemberInfo member, string fullName) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == fullName);

    public void Dispose() => _context.Dispose();
}

public sealed record CmdletInfo(Type Type, CustomAttributeData Attribute)
{
    public string Verb => (string)Attribute.ConstructorArguments[0].Value!;
    public string Noun => (string)Attribute.ConstructorArguments[1].Value!;
    public string Name => $"{Verb}-{Noun}";

    public bool SupportsShouldProcess => Attribute.NamedArguments.Any(a => a.MemberName == "SupportsShouldProcess" && (bool)a.TypedValue.Value!);

    /// <summary>The ConfirmImpact value (System.Management.Automation.ConfirmImpact: None 0, Low 1, Medium 2, High 3).</summary>
    public int ConfirmImpact => Attribute.NamedArguments.Where(a => a.MemberName == "ConfirmImpact").Select(a => (int)a.TypedValue.Value!).DefaultIfEmpty(2).First();

    public string? HelpUri => Attribute.NamedArguments.Where(a => a.MemberName == "HelpUri").Select(a => (string?)a.TypedValue.Value).FirstOrDefault();

    public IEnumerable<CustomAttributeData> OutputTypes =>
        Type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.OutputTypeAttribute");

    /// <summary>Each bound parameter with its [Parameter] attributes (one per parameter set).</summary>
    public IEnumerable<(PropertyInfo Property, IReadOnlyList<CustomAttributeData> Parameters)> Parameters =>
        Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, (IReadOnlyList<CustomAttributeData>)p.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToArray()))
            .Where(p => p.Item2.Count > 0);

    public IReadOnlySet<string> ParameterNames => Parameters.Select(p => p.Property.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public override string ToString() => Name;
}
