namespace KvmPS.HelpCompiler;

/// <summary>The "##" headings of a platyPS v1 (schema 2.0.0) cmdlet file.</summary>
internal static class PlatyPsSectionNames
{
    public const string Synopsis = "SYNOPSIS";
    public const string Syntax = "SYNTAX";
    public const string Description = "DESCRIPTION";
    public const string Examples = "EXAMPLES";
    public const string Parameters = "PARAMETERS";
    public const string Inputs = "INPUTS";
    public const string Outputs = "OUTPUTS";
    public const string Notes = "NOTES";
    public const string RelatedLinks = "RELATED LINKS";

    public static readonly IReadOnlyList<string> All =
        [Synopsis, Syntax, Description, Examples, Parameters, Inputs, Outputs, Notes, RelatedLinks];

    public static readonly IReadOnlyList<string> Mandatory = [Synopsis, Syntax, Description, Examples, Parameters];

    public const string CommonParameters = "CommonParameters";
    public const string WorkflowCommonParameters = "WorkflowCommonParameters";
}
