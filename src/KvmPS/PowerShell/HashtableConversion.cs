using System.Collections;
using System.Globalization;
using KvmPS.Commands;

namespace KvmPS.PowerShell;

/// <summary>Hashtable parameters (-Environment @{ NR_CPUS = 2 }) as the string dictionaries the object model takes.</summary>
internal static class HashtableConversion
{
    public static IDictionary<string, string>? ToStringDictionary(this Hashtable? table)
    {
        if (table is null)
        {
            return null;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
            result[key] = entry.Value is null
                ? throw InputErrors.Null($"The value of '{key}'", "a value (use '' for an empty one)")
                : Convert.ToString(entry.Value is System.Management.Automation.PSObject o ? o.BaseObject : entry.Value, CultureInfo.InvariantCulture) ?? "";
        }
        return result;
    }
}
