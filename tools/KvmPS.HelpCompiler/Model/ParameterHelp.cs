namespace KvmPS.HelpCompiler;

/// <summary>One "### -Name" entry of the PARAMETERS section.</summary>
public sealed class ParameterHelp
{
    public required string Name { get; init; }

    public required IReadOnlyList<string> Description { get; init; }

    /// <summary>One entry per yaml block; a parameter whose attributes differ between sets has several.</summary>
    public required IReadOnlyList<ParameterSetMetadata> Metadata { get; init; }

    /// <summary>The block that describes the parameter where only one can be shown (the first one).</summary>
    public ParameterSetMetadata PrimaryMetadata => Metadata[0];

    public string Type => PrimaryMetadata.Type;

    public IReadOnlyList<string> Aliases => PrimaryMetadata.Aliases;

    public IReadOnlyList<string> AcceptedValues => PrimaryMetadata.AcceptedValues;

    public bool IsSwitch => ParameterSetMetadata.IsSwitchType(Type);

    public bool AppliesToAllSets => Metadata.Any(m => m.AppliesToAllSets);

    /// <summary>The set names listed by the yaml blocks ("(All)" blocks contribute none).</summary>
    public IReadOnlyList<string> ParameterSetNames => Metadata.SelectMany(m => m.ParameterSets).ToList();

    /// <summary>The block that applies to the given set: the one naming it, else an "(All)" block, else null.</summary>
    public ParameterSetMetadata? MetadataFor(string setName) =>
        Metadata.FirstOrDefault(m => m.ParameterSets.Contains(setName, StringComparer.OrdinalIgnoreCase))
        ?? Metadata.FirstOrDefault(m => m.AppliesToAllSets);
}
