namespace KvmPS.HelpCompiler;

/// <summary>The attributes of a parameter in some of its sets: one ```yaml block of a "### -Name" entry.</summary>
public sealed class ParameterSetMetadata
{
    public const string AllSetsMarker = "(All)";

    public const string NamedPosition = "Named";

    public required string Type { get; init; }

    /// <summary>Set names from "Parameter Sets:"; empty when the block says "(All)".</summary>
    public required IReadOnlyList<string> ParameterSets { get; init; }

    public bool AppliesToAllSets { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public IReadOnlyList<string> AcceptedValues { get; init; } = [];

    public bool Required { get; init; }

    /// <summary>"Named" or a zero-based position number as text.</summary>
    public required string Position { get; init; }

    public int? PositionNumber => int.TryParse(Position, out var number) ? number : null;

    public bool IsNamed => PositionNumber is null;

    public required string DefaultValue { get; init; }

    /// <summary>The text after "Accept pipeline input:", e.g. "True (ByPropertyName, ByValue)" or "False".</summary>
    public required string PipelineInput { get; init; }

    public bool AcceptsPipelineInput => PipelineInput.StartsWith("True", StringComparison.OrdinalIgnoreCase);

    public bool AcceptsPipelineInputByValue =>
        AcceptsPipelineInput && PipelineInput.Contains("ByValue", StringComparison.OrdinalIgnoreCase);

    public bool AcceptsPipelineInputByPropertyName =>
        AcceptsPipelineInput && PipelineInput.Contains("ByPropertyName", StringComparison.OrdinalIgnoreCase);

    public bool AcceptsWildcards { get; init; }

    /// <summary>Line of the opening ```yaml fence in the source file.</summary>
    public int LineNumber { get; init; }

    public static bool IsSwitchType(string typeName) =>
        typeName is "SwitchParameter" or "System.Management.Automation.SwitchParameter";
}
