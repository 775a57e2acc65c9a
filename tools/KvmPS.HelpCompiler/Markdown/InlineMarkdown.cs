using System.Text.RegularExpressions;

namespace KvmPS.HelpCompiler;

/// <summary>
/// Removes the inline Markdown that reads badly in Get-Help's plain text: **strong** markers and
/// [text](uri) links. Code spans in `backticks` are kept, since they show what to type.
/// </summary>
internal static partial class InlineMarkdown
{
    public static string ToPlainText(string text)
    {
        var withoutStrong = Strong().Replace(text, match => match.Groups["text"].Value);
        return Link().Replace(withoutStrong, match =>
        {
            var linkText = match.Groups["text"].Value;
            var uri = match.Groups["uri"].Value;
            return uri.Length == 0 || uri == linkText ? linkText : $"{linkText} ({uri})";
        });
    }

    [GeneratedRegex(@"(?<![\w*])\*\*(?<text>[^*\s](?:[^*]*[^*\s])?)\*\*(?![\w*])")]
    private static partial Regex Strong();

    [GeneratedRegex(@"(?<!!)\[(?<text>[^\]]+)\]\((?<uri>[^)\s]*)\)")]
    private static partial Regex Link();
}
