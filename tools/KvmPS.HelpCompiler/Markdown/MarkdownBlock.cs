namespace KvmPS.HelpCompiler;

internal enum MarkdownBlockKind
{
    Text,
    Code,
}

/// <summary>Consecutive non-blank text lines, or the contents of one fenced code block.</summary>
internal sealed class MarkdownBlock
{
    public MarkdownBlock(MarkdownBlockKind kind, int lineNumber, IReadOnlyList<string> lines, string info)
    {
        Kind = kind;
        LineNumber = lineNumber;
        Lines = lines;
        Info = info;
    }

    public MarkdownBlockKind Kind { get; }

    /// <summary>First line of the text, or the line of the opening fence.</summary>
    public int LineNumber { get; }

    /// <summary>The text lines, or the code lines without the fences.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The fence language ("yaml", "powershell", ...); empty for text.</summary>
    public string Info { get; }

    public bool IsCode => Kind == MarkdownBlockKind.Code;

    public string JoinedLines => string.Join("\n", Lines);

    /// <summary>Splits lines into text and code blocks; blank lines separate text blocks.</summary>
    public static List<MarkdownBlock> Split(IReadOnlyList<SourceLine> lines)
    {
        var blocks = new List<MarkdownBlock>();
        var index = 0;
        while (index < lines.Count)
        {
            var line = lines[index];
            if (line.IsBlank)
            {
                index++;
                continue;
            }

            var fence = CodeFence.TryOpen(line.Text);
            if (fence is not null)
            {
                var code = new List<string>();
                index++;
                while (index < lines.Count && !fence.IsClosedBy(lines[index].Text))
                {
                    code.Add(lines[index].Text);
                    index++;
                }

                index++; // the closing fence; MarkdownOutline has already rejected unclosed fences
                blocks.Add(new MarkdownBlock(MarkdownBlockKind.Code, line.Number, code, fence.Info));
                continue;
            }

            var text = new List<string>();
            var start = line.Number;
            while (index < lines.Count && !lines[index].IsBlank && CodeFence.TryOpen(lines[index].Text) is null)
            {
                text.Add(lines[index].Text);
                index++;
            }

            blocks.Add(new MarkdownBlock(MarkdownBlockKind.Text, start, text, string.Empty));
        }

        return blocks;
    }
}
