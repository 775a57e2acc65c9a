using System.Text;

namespace KvmPS.Abi.Tests;

internal static class LineDiff
{
    /// <summary>The lines that differ, module above headers, or null when the lists are equal.</summary>
    public static string? Describe(string title, IReadOnlyList<string> module, IReadOnlyList<string> headers, string probeSource)
    {
        var text = new StringBuilder();
        int differences = 0;
        for (int i = 0; i < Math.Max(module.Count, headers.Count); i++)
        {
            string? ours = i < module.Count ? module[i] : null;
            string? theirs = i < headers.Count ? headers[i] : null;
            if (ours == theirs)
            {
                continue;
            }
            differences++;
            text.Append("  module:  ").AppendLine(WithHex(ours) ?? "<no line>");
            text.Append("  headers: ").AppendLine(WithHex(theirs) ?? "<no line>");
        }
        return differences == 0
            ? null
            : $"{title}: {differences} of {module.Count} lines differ from the kernel headers (probe: {probeSource}).\n{text}";
    }

    /// <summary>An ioctl number's fields (direction, size, type, number) are easier to compare in hex.</summary>
    private static string? WithHex(string? line)
    {
        if (line is null || !line.StartsWith("ioctl ", StringComparison.Ordinal)
            || !ulong.TryParse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture, out ulong value))
        {
            return line;
        }
        return FormattableString.Invariant($"{line} (0x{value:x8})");
    }
}
