using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace KvmPS.PowerShell;

/// <summary>
/// Numbers as people type them: PowerShell parses <c>0xffff0000</c> as the Int32 -65536 and <c>0xffffffffffffffff</c>
/// as the Int64 -1; such negative values are taken as their unsigned bit pattern of that width. Strings take the
/// forms <c>'0xffff0000'</c>, <c>'4096'</c> and <c>'64KB'</c> (KB, MB, GB, TB, PB, as in PowerShell's literals).
/// </summary>
internal static class NumberParser
{
    private static readonly (string Suffix, int Shift)[] Multipliers = [("KB", 10), ("MB", 20), ("GB", 30), ("TB", 40), ("PB", 50)];

    /// <summary>
    /// The value to hand on to PowerShell's own conversion to the parameter's type. With <paramref name="keepSign"/>
    /// (parameters of a signed type) negative numbers stay negative and only strings are read.
    /// </summary>
    public static object? Transform(object? input, bool keepSign = false) => Unwrap(input) switch
    {
        null => null,
        string text => keepSign && TryParseNegative(text, out long negative) ? negative : Parse(text),
        IList list and not Array { Rank: > 1 } => list.Cast<object?>().Select(item => Transform(item, keepSign)).ToArray(),
        object number when keepSign => number,
        sbyte value when value < 0 => (ulong)(byte)value,
        short value when value < 0 => (ulong)(ushort)value,
        int value when value < 0 => (ulong)(uint)value,
        long value when value < 0 => (ulong)value,
        object other => other,
    };

    /// <summary>Converts what a user typed (or a script computed) to a 64-bit unsigned value, by the same rules.</summary>
    public static ulong ToUInt64(object? input) => Transform(input) switch
    {
        null => throw new ArgumentException("A number is required, not $null."),
        ulong value => value,
        object other => LanguagePrimitives.ConvertTo<ulong>(other),
    };

    public static ulong Parse(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("An empty string is not a number.");
        }
        int shift = 0;
        foreach ((string suffix, int bits) in Multipliers)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                shift = bits;
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                break;
            }
        }
        bool hex = trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        string digits = hex ? trimmed[2..] : trimmed.TrimStart('+');
        bool parsed = hex
            ? ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value)
            : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (digits.StartsWith('-'))
        {
            throw new ArgumentException($"'{text}' is negative; this parameter takes an unsigned value (0x-prefixed hexadecimal gives any bit pattern).");
        }
        if (!parsed || digits.Length == 0)
        {
            throw new ArgumentException(
                $"'{text}' is not a number: use a decimal or 0x-prefixed hexadecimal value, optionally followed by KB, MB, GB, TB or PB.");
        }
        if (shift > 0 && value > ulong.MaxValue >> shift)
        {
            throw new ArgumentException($"'{text}' does not fit in 64 bits.");
        }
        return value << shift;
    }

    private static object? Unwrap(object? input) => input is PSObject wrapped ? wrapped.BaseObject : input;

    /// <summary>PowerShell hands "-Id -1" over as the string "-1".</summary>
    private static bool TryParseNegative(string text, out long value)
    {
        value = 0;
        return text.TrimStart().StartsWith('-') && long.TryParse(text,
            NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out value);
    }
}
