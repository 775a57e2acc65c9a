namespace KvmPS.HelpCompiler;

/// <summary>A "##" or "###" heading with the lines up to the next heading of the same or a higher level.</summary>
internal sealed class MarkdownSection
{
    public MarkdownSection(int level, string title, int lineNumber)
    {
        Level = level;
        Title = title;
        LineNumber = lineNumber;
    }

    public int Level { get; }

    public string Title { get; }

    /// <summary>Line of the heading itself.</summary>
    public int LineNumber { get; }

    /// <summary>Lines between the heading and its first subsection (or the next section).</summary>
    public List<SourceLine> Body { get; } = [];

    /// <summary>The "###" subsections of a "##" section.</summary>
    public List<MarkdownSection> Subsections { get; } = [];
}
