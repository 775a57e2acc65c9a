using System.Reflection;
using System.Text.RegularExpressions;

namespace KvmPS.Tests.Metadata;

/// <summary>What PowerShell users rely on, read from the built assembly: verbs, output types, parameter help, exports.</summary>
public sealed class CmdletMetadataTests : IClassFixture<ModuleMetadata>
{
    private readonly ModuleMetadata _module;

    public CmdletMetadataTests(ModuleMetadata module) => _module = module;

    [Fact]
    public void TheModuleHasCmdlets() => Assert.True(_module.Cmdlets.Count >= 17, string.Join(", ", _module.Cmdlets));

    [Fact]
    public void EveryCmdletUsesAnApprovedVerb()
    {
        IReadOnlySet<string> approved = _module.ApprovedVerbs;
        Assert.Contains("Get", approved);
        Assert.All(_module.Cmdlets, c => Assert.True(approved.Contains(c.Verb), $"{c.Name}: '{c.Verb}' is not an approved verb."));
    }

    [Fact]
    public void EveryCmdletDeclaresItsOutputType() =>
        Assert.All(_module.Cmdlets, c => Assert.True(c.OutputTypes.Any(), $"{c.Name} has no [OutputType]."));

    [Fact]
    public void EveryParameterHasAHelpMessage() =>
        Assert.All(_module.Cmdlets.SelectMany(c => c.Parameters.Select(p => (Cmdlet: c, p.Property, p.Parameters))), p =>
            Assert.All(p.Parameters, attribute => Assert.False(
                string.IsNullOrWhiteSpace(attribute.NamedArguments.FirstOrDefault(a => a.MemberName == "HelpMessage").TypedValue.Value as string),
                $"{p.Cmdlet.Name} -{p.Property.Name} has no HelpMessage.")));

    [Fact]
    public void EveryCmdletDerivesFromTheSharedBase() =>
        Assert.All(_module.Cmdlets, c => Assert.Equal("KvmPS.Commands.KvmCmdlet", c.Type.BaseType?.FullName));

    [Fact]
    public void TheManifestExportsExactlyTheCmdletsOfTheAssembly()
    {
        string manifest = File.ReadAllText(Repository.PathOf("KvmPS.psd1"));
        Match block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<names>[^)]*)\)");
        Assert.True(block.Success, "KvmPS.psd1 has no CmdletsToExport = @(...) list.");
        string[] exported = Regex.Matches(block.Groups["names"].Value, "'([^']+)'").Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(_module.Cmdlets.Select(c => c.Name).ToArray(), exported);
    }

    [Fact]
    public void OnlyTheCommandsLayerTouchesPowerShell()
    {
        foreach (Type type in _module.Module.GetTypes().Where(t => t.Namespace?.StartsWith("KvmPS.Commands", StringComparison.Ordinal) != true
            && t.Namespace?.StartsWith("KvmPS.PowerShell", StringComparison.Ordinal) != true))
        {
            IEnumerable<Type> used = type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Select(f => f.FieldType)
                .Concat(type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
                .Append(type.BaseType ?? typeof(object))
                .Concat(type.GetInterfaces());
            Assert.All(used, t => Assert.False(t.Assembly.GetName().Name == "System.Management.Automation",
                $"{type.FullName} (outside KvmPS.Commands) uses the PowerShell type {t.FullName}."));
        }
    }

    [Fact]
    public void CmdletSourcesHoldNoIoctlsOrStructLayouts()
    {
        string commands = Repository.PathOf("src/KvmPS/Commands");
        foreach (string file in Directory.GetFiles(commands, "*.cs", SearchOption.AllDirectories))
        {
            string text = File.ReadAllText(file);
            foreach (string forbidden in new[] { ".Ioctl(", "TryIoctl(", "StructLayout", "LibraryImport", "DllImport", "Syscalls.", "IoctlDefinition" })
            {
                Assert.False(text.Contains(forbidden, StringComparison.Ordinal), $"{Path.GetRelativePath(Repository.Root, file)} contains '{forbidden}'.");
            }
        }
    }

    [Fact]
    public void EveryCmdletHasAPesterDescribe()
    {
        string suites = string.Join("\n", Directory.GetFiles(Repository.PathOf("tests/Pester"), "*.Tests.ps1").Select(File.ReadAllText));
        Assert.All(_module.Cmdlets, c => Assert.True(
            Regex.IsMatch(suites, @"Describe\s+['""]" + Regex.Escape(c.Name) + @"\b", RegexOptions.IgnoreCase),
            $"tests/Pester has no Describe for {c.Name}."));
    }

    [Fact]
    public void EveryFormatViewSelectsATypeTheModuleHas()
    {
        var format = System.Xml.Linq.XDocument.Load(Repository.PathOf("src/KvmPS/KvmPS.Format.ps1xml"));
        string[] selected = format.Descendants("TypeName").Select(e => e.Value).ToArray();
        Assert.NotEmpty(selected);
        Assert.All(selected, name => Assert.NotNull(_module.Module.GetType(name)));
        foreach (var view in format.Descendants("View"))
        {
            Type type = _module.Module.GetType(view.Descendants("TypeName").Single().Value)!;
            foreach (string property in view.Descendants("PropertyName").Select(e => e.Value))
            {
                Assert.True(type.GetProperty(property) is not null, $"Format view of {type.FullName} shows '{property}', which the type does not have.");
            }
        }
    }

    [Fact]
    public void PowerShellIsReferencedCompileOnlyAndNeverCopiedToTheOutput()
    {
        Assert.Contains(_module.Module.GetReferencedAssemblies(), a => a.Name == "System.Management.Automation");
        string[] outputs = Directory.GetDirectories(Repository.PathOf("src/KvmPS/bin"), "net8.0", SearchOption.AllDirectories)
            .Append(Path.GetDirectoryName(typeof(KvmPS.Kvm.KvmSession).Assembly.Location)!)
            .ToArray();
        Assert.All(outputs, dir => Assert.False(File.Exists(Path.Combine(dir, "System.Management.Automation.dll")),
            $"{dir} holds System.Management.Automation.dll; PowerShell supplies it at run time."));
    }
}
