namespace KvmPS.Abi.Tests;

/// <summary>What one architecture's headers say about each <see cref="ProbeItem"/>.</summary>
public sealed class ProbeResult
{
    public ProbeResult(string probeSource, IReadOnlyDictionary<string, ulong> values, IReadOnlyDictionary<string, string> errors)
    {
        ProbeSource = probeSource;
        Values = values;
        Errors = errors;
    }

    /// <summary>Where the generated C file was written, for reading along with a failure.</summary>
    public string ProbeSource { get; }

    /// <summary>Items the headers define, with their values.</summary>
    public IReadOnlyDictionary<string, ulong> Values { get; }

    /// <summary>Items whose expression does not compile against these headers, with gcc's first error.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; }

    /// <summary>True where the guard macro is defined and the expression is a valid constant for this architecture.</summary>
    public bool IsDefined(string key) => Values.ContainsKey(key);

    /// <summary>The value as a dump prints it, or why the headers give none.</summary>
    public string Describe(string key) =>
        Values.TryGetValue(key, out ulong value) ? value.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Errors.TryGetValue(key, out string? error) ? $"<not in the headers: {error}>"
        : "<not defined in the headers>";
}
