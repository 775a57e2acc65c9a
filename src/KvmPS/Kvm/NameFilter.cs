using System.Text.RegularExpressions;

namespace KvmPS.Kvm;

/// <summary>Case-insensitive name matching with the * and ? wildcards users type at the prompt.</summary>
internal sealed class NameFilter
{
    private readonly Regex[] _patterns;

    public NameFilter(IEnumerable<string>? patterns)
    {
        _patterns = (patterns ?? []).Select(p => new Regex(
            "^" + Regex.Escape(p).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)).ToArray();
    }

    public bool IsEmpty => _patterns.Length == 0;

    public static bool HasWildcard(string pattern) => pattern.Contains('*') || pattern.Contains('?');

    public bool Matches(params string[] names) =>
        IsEmpty || names.Any(name => _patterns.Any(p => p.IsMatch(name)));
}
