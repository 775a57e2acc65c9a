using System.Collections;
using System.Management.Automation;

namespace KvmPS.PowerShell;

/// <summary>
/// For parameters that take rows as hashtables (-Route @{ Gsi = 24; Address = 0xfee00000 }): reads each numeric
/// value as <see cref="NumberTransformationAttribute"/> does (0xfee00000, which PowerShell parses as a negative
/// Int32, becomes its unsigned bit pattern), so PowerShell's conversion of the hashtable to the row type succeeds.
/// Keys listed in <see cref="TextKeys"/> are left alone.
/// </summary>
internal sealed class NumericRowsTransformationAttribute(params string[] textKeys) : ArgumentTransformationAttribute
{
    public IReadOnlyList<string> TextKeys { get; } = textKeys;

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? input = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        try
        {
            return input switch
            {
                IDictionary row => Row(row),
                IList rows => rows.Cast<object?>().Select(item => (item is PSObject o ? o.BaseObject : item) is IDictionary row ? Row(row) : item).ToArray(),
                _ => inputData,
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }

    private Hashtable Row(IDictionary row)
    {
        var result = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in row)
        {
            string key = entry.Key?.ToString() ?? "";
            result[key] = TextKeys.Contains(key, StringComparer.OrdinalIgnoreCase) ? entry.Value : NumberParser.Transform(entry.Value);
        }
        return result;
    }
}
