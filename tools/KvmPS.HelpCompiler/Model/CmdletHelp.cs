namespace KvmPS.HelpCompiler;

/// <summary>The complete help of one cmdlet, as read from one platyPS Markdown file.</summary>
public sealed class CmdletHelp
{
    public required string Name { get; init; }

    public string Verb => Name[..Name.IndexOf('-')];

    public string Noun => Name[(Name.IndexOf('-') + 1)..];

    /// <summary>YAML front matter keys (case-insensitive), e.g. "external help file", "Module Name".</summary>
    public IReadOnlyDictionary<string, string> FrontMatter { get; init; } =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public string? ExternalHelpFile => FrontMatter.GetValueOrDefault("external help file");

    public string? ModuleName => FrontMatter.GetValueOrDefault("Module Name");

    public string? OnlineVersion => FrontMatter.GetValueOrDefault("online version");

    public string? Schema => FrontMatter.GetValueOrDefault("schema");

    public required IReadOnlyList<string> Synopsis { get; init; }

    public required IReadOnlyList<ParameterSetSyntax> Syntax { get; init; }

    public required IReadOnlyList<string> Description { get; init; }

    public required IReadOnlyList<ExampleHelp> Examples { get; init; }

    /// <summary>Parameters in document order; common parameters are not listed.</summary>
    public required IReadOnlyList<ParameterHelp> Parameters { get; init; }

    /// <summary>True when the file has a "### CommonParameters" entry.</summary>
    public bool SupportsCommonParameters { get; init; }

    public IReadOnlyList<TypeHelp> Inputs { get; init; } = [];

    public IReadOnlyList<TypeHelp> Outputs { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];

    public IReadOnlyList<RelatedLink> RelatedLinks { get; init; } = [];

    /// <summary>The Markdown file this help came from, when it came from a file.</summary>
    public string? SourcePath { get; init; }

    public IReadOnlyList<string> ParameterNames => Parameters.Select(p => p.Name).ToList();

    public IReadOnlyList<string> ParameterSetNames => Syntax.Select(s => s.Name).ToList();

    public ParameterHelp? FindParameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The parameters of one set, in the order its syntax line shows them.</summary>
    public IReadOnlyList<ParameterHelp> ParametersInSet(string setName)
    {
        var syntax = Syntax.FirstOrDefault(s => string.Equals(s.Name, setName, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"{Name} has no parameter set '{setName}'.", nameof(setName));
        var members = Parameters.Where(p => p.MetadataFor(syntax.Name) is not null).ToList();
        var order = syntax.ParameterNamesInSyntaxLine;
        return members
            .Select((parameter, documentIndex) => (parameter, documentIndex))
            .OrderBy(item => RankInSyntaxLine(order, item.parameter.Name))
            .ThenBy(item => item.documentIndex)
            .Select(item => item.parameter)
            .ToList();
    }

    private static int RankInSyntaxLine(IReadOnlyList<string> order, string parameterName)
    {
        for (var i = 0; i < order.Count; i++)
        {
            if (string.Equals(order[i], parameterName, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return int.MaxValue;
    }
}
