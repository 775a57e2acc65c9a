namespace KvmPS.HelpCompiler;

/// <summary>A help Markdown file breaks the expected layout or leaves help incomplete.</summary>
public sealed class HelpFormatException : Exception
{
    public HelpFormatException(string sourceName, int lineNumber, string problem)
        : base($"{sourceName}:{lineNumber}: {problem}")
    {
        SourceName = sourceName;
        LineNumber = lineNumber;
        Problem = problem;
    }

    public string SourceName { get; }

    /// <summary>One-based line number in the source file.</summary>
    public int LineNumber { get; }

    /// <summary>The message without the "file:line:" prefix.</summary>
    public string Problem { get; }
}
