using System.Globalization;
using System.Text.RegularExpressions;

namespace KvmPS.Abi.Tests;

/// <summary>
/// Reads 8-byte constants back out of gcc's assembly output. Each constant is its own global, so a label
/// <c>prefix&lt;n&gt;:</c> is followed by one data directive, spelled per target: <c>.quad</c> (x86_64, powerpc,
/// s390), <c>.xword</c> (aarch64), <c>.8byte</c> or <c>.dword</c> elsewhere, and <c>.zero 8</c> for a zero.
/// </summary>
public static partial class AssemblyConstants
{
    public static IReadOnlyDictionary<int, ulong> Parse(string assembly, string symbolPrefix)
    {
        var values = new Dictionary<int, ulong>();
        int? pending = null;
        foreach (string rawLine in assembly.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.StartsWith(symbolPrefix, StringComparison.Ordinal) && line.EndsWith(':'))
            {
                pending = int.Parse(line[symbolPrefix.Length..^1], CultureInfo.InvariantCulture);
                continue;
            }
            if (pending is not int index || line.Length == 0)
            {
                continue;
            }
            Match directive = DataDirective().Match(line);
            if (!directive.Success)
            {
                throw new FormatException($"{symbolPrefix}{index}: expected an 8-byte data directive after the label, found '{line}'.");
            }
            values[index] = directive.Groups["op"].Value == "zero"
                ? ParseZero(index, directive.Groups["value"].Value)
                : ParseInteger(directive.Groups["value"].Value);
            pending = null;
        }
        if (pending is int dangling)
        {
            throw new FormatException($"{symbolPrefix}{dangling}: label without a value at the end of the assembly.");
        }
        return values;
    }

    private static ulong ParseZero(int index, string bytes) => bytes == "8"
        ? 0UL
        : throw new FormatException($"kvmps constant {index}: '.zero {bytes}' is not one 8-byte zero.");

    /// <summary>gcc prints decimal, negative for values with the top bit set; hex is accepted too.</summary>
    private static ulong ParseInteger(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : text.StartsWith('-')
                ? unchecked((ulong)long.Parse(text, CultureInfo.InvariantCulture))
                : ulong.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\.(?<op>quad|xword|8byte|dword|zero)\s+(?<value>-?(?:0x[0-9a-fA-F]+|\d+))$")]
    private static partial Regex DataDirective();
}
