namespace KvmPS.HelpCompiler;

/// <summary>One "### Example N: title" entry of the EXAMPLES section.</summary>
public sealed class ExampleHelp
{
    /// <summary>The heading text, e.g. "Example 1: Start a VM".</summary>
    public required string Title { get; init; }

    /// <summary>Paragraphs written between the heading and the first code block.</summary>
    public IReadOnlyList<string> Introduction { get; init; } = [];

    /// <summary>The code block contents; several code blocks are joined by a blank line.</summary>
    public required string Code { get; init; }

    /// <summary>Paragraphs written after the first code block.</summary>
    public IReadOnlyList<string> Remarks { get; init; } = [];
}
