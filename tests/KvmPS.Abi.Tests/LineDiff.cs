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
            text.Append("  module:  ").AppendLine(ours ?? "<no line>");
            text.Append("  headers: ").AppendLine(theirs ?? "<no line>");
        }
        return differences == 0
            ? null
            : $"{title}: {differences} of {module.Count} lines differ from the kernel headers (probe: {probeSource}).\n{text}";
    }
}
