using System.Text.RegularExpressions;

namespace KvmPS.HelpCompiler;

/// <summary>Turns Markdown blocks into the plain paragraphs MAML holds in &lt;maml:para&gt;.</summary>
internal static partial class Paragraphs
{
    /// <summary>
    /// Soft-wrapped lines are joined by a space; each list item starts its own paragraph;
    /// **strong** markers and links become plain text; a code block becomes one paragraph holding its lines unchanged.
    /// </summary>
    public static List<string> From(IEnumerable<MarkdownBlock> blocks)
    {
        var paragraphs = new List<string>();
        foreach (var block in blocks)
        {
            if (block.IsCode)
            {
                paragraphs.Add(block.JoinedLines);
                continue;
            }

            var current = new List<string>();
            foreach (var line in block.Lines)
            {
                if (current.Count > 0 && ListItemStart().IsMatch(line))
                {
                    paragraphs.Add(InlineMarkdown.ToPlainText(string.Join(" ", current)));
                    current.Clear();
                }

                current.Add(line.Trim());
            }

            paragraphs.Add(InlineMarkdown.ToPlainText(string.Join(" ", current)));
        }

        return paragraphs;
    }

    [GeneratedRegex(@"^\s{0,3}([-*+]|\d{1,9}[.)])\s")]
    private static partial Regex ListItemStart();
}
