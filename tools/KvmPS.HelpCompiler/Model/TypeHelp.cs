namespace KvmPS.HelpCompiler;

/// <summary>One "### TypeName" entry of the INPUTS or OUTPUTS section.</summary>
public sealed class TypeHelp
{
    public required string TypeName { get; init; }

    public IReadOnlyList<string> Description { get; init; } = [];
}
