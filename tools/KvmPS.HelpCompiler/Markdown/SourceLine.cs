namespace KvmPS.HelpCompiler;

/// <summary>A line of a Markdown file with its one-based line number.</summary>
internal readonly record struct SourceLine(int Number, string Text)
{
    public bool IsBlank => string.IsNullOrWhiteSpace(Text);
}
