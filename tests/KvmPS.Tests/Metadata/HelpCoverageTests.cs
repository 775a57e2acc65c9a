using KvmPS.HelpCompiler;

namespace KvmPS.Tests.Metadata;

/// <summary>Help in docs/cmdlets covers every cmdlet and exactly its parameters, and the compiled MAML is current.</summary>
public sealed class HelpCoverageTests : IClassFixture<ModuleMetadata>
{
    private static readonly string[] s_shouldProcessParameters = ["WhatIf", "Confirm"];
    private readonly ModuleMetadata _module;
    private readonly Dictionary<string, CmdletHelp> _help;

    public HelpCoverageTests(ModuleMetadata module)
    {
        _module = module;
        _help = PlatyPsMarkdownParser.ParseFolder(Repository.PathOf("docs/cmdlets")).ToDictionary(h => h.Name, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void EveryCmdletHasHelpWithSynopsisDescriptionAndExample() =>
        Assert.All(_module.Cmdlets, c =>
        {
            Assert.True(_help.TryGetValue(c.Name, out CmdletHelp? help), $"docs/cmdlets/{c.Name}.md is missing.");
            Assert.NotEmpty(help!.Synopsis);
            Assert.NotEmpty(help.Description);
            Assert.NotEmpty(help.Examples);
        });

    [Fact]
    public void HelpDocumentsExactlyTheParametersEachCmdletHas() =>
        Assert.All(_module.Cmdlets.Where(c => _help.ContainsKey(c.Name)), c =>
        {
            var expected = c.ParameterNames.Concat(c.SupportsShouldProcess ? s_shouldProcessParameters : []).Order(StringComparer.OrdinalIgnoreCase);
            var documented = _help[c.Name].ParameterNames.Order(StringComparer.OrdinalIgnoreCase);
            Assert.True(expected.SequenceEqual(documented, StringComparer.OrdinalIgnoreCase),
                $"{c.Name}: parameters [{string.Join(", ", expected)}] but help documents [{string.Join(", ", documented)}].");
        });

    [Fact]
    public void HelpDescribesNoCmdletTheModuleLacks() =>
        Assert.All(_help.Keys, name => Assert.Contains(_module.Cmdlets, c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)));

    [Fact]
    public void CompiledHelpIsUpToDate() =>
        Assert.True(HelpCompilation.IsUpToDate(Repository.PathOf("docs/cmdlets"), Repository.PathOf("en-US/KvmPS.dll-Help.xml")),
            "en-US/KvmPS.dll-Help.xml is stale: run ./build.ps1 (or dotnet build src/KvmPS -c Release -t:AssembleModule) and commit it.");

    [Fact]
    public void AboutTopicExists() =>
        Assert.Contains("TOPIC", File.ReadAllText(Repository.PathOf("en-US/about_KvmPS.help.txt")));
}
