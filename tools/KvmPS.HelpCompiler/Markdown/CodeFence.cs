using System.Text.RegularExpressions;

namespace KvmPS.HelpCompiler;

/// <summary>Recognises the opening and closing lines of fenced code blocks (``` or ~~~).</summary>
internal sealed partial class CodeFence
{
    private CodeFence(char marker, int length, string info)
    {
        Marker = marker;
        Length = length;
        Info = info;
    }

    public char Marker { get; }

    public int Length { get; }

    /// <summary>The language after the opening fence, e.g. "powershell" or "yaml"; empty if none.</summary>
    public string Info { get; }

    public static CodeFence? TryOpen(string line)
    {
        var match = Opening().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var fence = match.Groups["fence"].Value;
        var info = match.Groups["info"].Value.Trim();
        if (fence[0] == '`' && info.Contains('`'))
        {
            return null;
        }

        return new CodeFence(fence[0], fence.Length, info);
    }

    public bool IsClosedBy(string line)
    {
        var trimmed = line.Trim();
        var indent = line.Length - line.TrimStart().Length;
        return indent <= 3
            && trimmed.Length >= Length
            && trimmed.All(c => c == Marker);
    }

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})(?<info>.*)$")]
    private static partial Regex Opening();
}
