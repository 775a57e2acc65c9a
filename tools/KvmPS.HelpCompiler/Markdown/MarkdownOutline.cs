using System.Text.RegularExpressions;

namespace KvmPS.HelpCompiler;

/// <summary>
/// The skeleton of a platyPS file: YAML front matter, the "# Name" title and the "##"/"###" sections.
/// Headings inside fenced code blocks are code, not structure.
/// </summary>
internal sealed partial class MarkdownOutline
{
    private MarkdownOutline(
        IReadOnlyDictionary<string, string> frontMatter,
        IReadOnlyDictionary<string, int> frontMatterLineNumbers,
        string title,
        int titleLineNumber,
        IReadOnlyList<MarkdownSection> sections)
    {
        FrontMatter = frontMatter;
        FrontMatterLineNumbers = frontMatterLineNumbers;
        Title = title;
        TitleLineNumber = titleLineNumber;
        Sections = sections;
    }

    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    public IReadOnlyDictionary<string, int> FrontMatterLineNumbers { get; }

    public string Title { get; }

    public int TitleLineNumber { get; }

    public IReadOnlyList<MarkdownSection> Sections { get; }

    public static MarkdownOutline Read(string markdown, string sourceName)
    {
        var lines = SplitLines(markdown);
        var index = 0;
        var frontMatterLineNumbers = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var frontMatter = ReadFrontMatter(lines, ref index, sourceName, frontMatterLineNumbers);

        string? title = null;
        var titleLine = 0;
        var sections = new List<MarkdownSection>();
        MarkdownSection? section = null;
        MarkdownSection? subsection = null;
        CodeFence? openFence = null;
        var openFenceLine = 0;

        for (; index < lines.Count; index++)
        {
            var line = lines[index];
            if (openFence is not null)
            {
                if (openFence.IsClosedBy(line.Text))
                {
                    openFence = null;
                }
                else if (CodeFence.TryOpen(line.Text) is { Info.Length: > 0 })
                {
                    // Help files never nest fences: a fence with a language here means the open block lacks its end.
                    throw new HelpFormatException(sourceName, openFenceLine,
                        $"code block is not closed before the code block at line {line.Number}");
                }

                AddBodyLine(line);
                continue;
            }

            var fence = CodeFence.TryOpen(line.Text);
            if (fence is not null)
            {
                openFence = fence;
                openFenceLine = line.Number;
                AddBodyLine(line);
                continue;
            }

            var heading = Heading().Match(line.Text);
            if (!heading.Success)
            {
                AddBodyLine(line);
                continue;
            }

            var level = heading.Groups["marks"].Length;
            var text = heading.Groups["text"].Value.Trim();
            switch (level)
            {
                case 1 when title is null:
                    title = text;
                    titleLine = line.Number;
                    break;
                case 1:
                    throw new HelpFormatException(sourceName, line.Number,
                        $"second top-level heading '# {text}'; a file holds the help of one cmdlet");
                case 2:
                    section = new MarkdownSection(2, text, line.Number);
                    subsection = null;
                    sections.Add(section);
                    break;
                default:
                    if (section is null)
                    {
                        throw new HelpFormatException(sourceName, line.Number,
                            $"'### {text}' appears before any '##' section");
                    }

                    subsection = new MarkdownSection(3, text, line.Number);
                    section.Subsections.Add(subsection);
                    break;
            }
        }

        if (openFence is not null)
        {
            throw new HelpFormatException(sourceName, openFenceLine, "code block is never closed");
        }

        if (title is null)
        {
            throw new HelpFormatException(sourceName, Math.Max(1, lines.Count),
                "missing the '# Verb-Noun' title heading");
        }

        return new MarkdownOutline(frontMatter, frontMatterLineNumbers, title, titleLine, sections);

        void AddBodyLine(SourceLine line)
        {
            if (subsection is not null)
            {
                subsection.Body.Add(line);
            }
            else if (section is not null)
            {
                section.Body.Add(line);
            }
            else if (!line.IsBlank)
            {
                var where = title is null ? "before the '# Verb-Noun' title" : "between the title and the first '##' section";
                throw new HelpFormatException(sourceName, line.Number, $"unexpected text {where}");
            }
        }
    }

    private static List<SourceLine> SplitLines(string markdown)
    {
        var normalized = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (normalized.Length > 0 && normalized[0] == '\uFEFF')
        {
            normalized = normalized[1..];
        }

        var texts = normalized.Split('\n');
        var lines = new List<SourceLine>(texts.Length);
        for (var i = 0; i < texts.Length; i++)
        {
            lines.Add(new SourceLine(i + 1, texts[i].TrimEnd()));
        }

        return lines;
    }

    private static Dictionary<string, string> ReadFrontMatter(
        List<SourceLine> lines, ref int index, string sourceName, Dictionary<string, int> lineNumbers)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (index < lines.Count && lines[index].IsBlank)
        {
            index++;
        }

        if (index >= lines.Count || lines[index].Text != "---")
        {
            return values;
        }

        var openingLine = lines[index].Number;
        for (index++; index < lines.Count; index++)
        {
            var line = lines[index];
            if (line.Text == "---")
            {
                index++;
                return values;
            }

            if (line.IsBlank)
            {
                continue;
            }

            var colon = line.Text.IndexOf(':');
            if (colon <= 0)
            {
                throw new HelpFormatException(sourceName, line.Number,
                    $"front matter line '{line.Text}' is not 'key: value'");
            }

            var key = line.Text[..colon].Trim();
            if (!values.TryAdd(key, line.Text[(colon + 1)..].Trim()))
            {
                throw new HelpFormatException(sourceName, line.Number, $"front matter key '{key}' appears twice");
            }

            lineNumbers[key] = line.Number;
        }

        throw new HelpFormatException(sourceName, openingLine, "front matter is never closed by '---'");
    }

    [GeneratedRegex(@"^(?<marks>#{1,3})[ \t]+(?<text>.+?)[ \t]*$")]
    private static partial Regex Heading();
}
