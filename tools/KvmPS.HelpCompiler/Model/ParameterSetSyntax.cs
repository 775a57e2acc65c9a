using System.Text.RegularExpressions;

namespace KvmPS.HelpCompiler;

/// <summary>One "### SetName" entry of the SYNTAX section with its syntax line.</summary>
public sealed partial class ParameterSetSyntax
{
    /// <summary>The name platyPS uses when a cmdlet declares no parameter set.</summary>
    public const string AllParameterSetsName = "__AllParameterSets";

    public required string Name { get; init; }

    /// <summary>True when the heading ends in "(Default)".</summary>
    public bool IsDefault { get; init; }

    /// <summary>The syntax line as written, e.g. "Get-Foo [-Name] &lt;String&gt; [&lt;CommonParameters&gt;]".</summary>
    public required string SyntaxLine { get; init; }

    public bool IsAllParameterSets => Name == AllParameterSetsName;

    /// <summary>The "-Name" tokens of the syntax line, in order, without the dash.</summary>
    public IReadOnlyList<string> ParameterNamesInSyntaxLine =>
        ParameterToken().Matches(SyntaxLine).Select(m => m.Groups["name"].Value).ToList();

    public bool MentionsCommonParameters => SyntaxLine.Contains("<CommonParameters>", StringComparison.Ordinal);

    [GeneratedRegex(@"(?<![\w-])-(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterToken();
}
