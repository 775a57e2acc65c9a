using System.Text.RegularExpressions;

namespace KvmPS.HelpCompiler;

/// <summary>Reads the ```yaml block platyPS writes under each "### -Name" parameter heading.</summary>
internal static partial class ParameterYamlReader
{
    private const string TypeKey = "Type";
    private const string ParameterSetsKey = "Parameter Sets";
    private const string AliasesKey = "Aliases";
    private const string AcceptedValuesKey = "Accepted values";
    private const string RequiredKey = "Required";
    private const string PositionKey = "Position";
    private const string DefaultValueKey = "Default value";
    private const string PipelineInputKey = "Accept pipeline input";
    private const string WildcardsKey = "Accept wildcard characters";
    private const string ApplicableKey = "Applicable"; // written by some platyPS versions; carries nothing for MAML

    private static readonly string[] KnownKeys =
    [
        TypeKey, ParameterSetsKey, AliasesKey, AcceptedValuesKey, RequiredKey, PositionKey,
        DefaultValueKey, PipelineInputKey, WildcardsKey, ApplicableKey,
    ];

    private static readonly string[] RequiredKeys =
    [
        TypeKey, ParameterSetsKey, RequiredKey, PositionKey, DefaultValueKey, PipelineInputKey, WildcardsKey,
    ];

    public static ParameterSetMetadata Read(MarkdownBlock yaml, string parameterName, string sourceName)
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < yaml.Lines.Count; i++)
        {
            var text = yaml.Lines[i];
            var lineNumber = yaml.LineNumber + 1 + i;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            var colon = text.IndexOf(':');
            var key = colon > 0 ? text[..colon].Trim() : string.Empty;
            if (!KnownKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw new HelpFormatException(sourceName, lineNumber,
                    $"-{parameterName}: '{text.Trim()}' is not one of the yaml keys {string.Join(", ", KnownKeys.Select(k => $"'{k}:'"))}");
            }

            if (!values.TryAdd(key, (text[(colon + 1)..].Trim(), lineNumber)))
            {
                throw new HelpFormatException(sourceName, lineNumber, $"-{parameterName}: yaml key '{key}:' appears twice");
            }
        }

        var missingKey = RequiredKeys.FirstOrDefault(k => !values.ContainsKey(k));
        if (missingKey is not null)
        {
            throw new HelpFormatException(sourceName, yaml.LineNumber, $"-{parameterName}: yaml block lacks '{missingKey}:'");
        }

        string Value(string key) => values[key].Value;

        HelpFormatException Invalid(string key, string expected) =>
            new(sourceName, values[key].Line, $"-{parameterName}: '{key}: {Value(key)}' is invalid; expected {expected}");

        if (Value(TypeKey).Length == 0)
        {
            throw Invalid(TypeKey, "a type name such as String or SwitchParameter");
        }

        var sets = SplitList(Value(ParameterSetsKey));
        var appliesToAllSets = sets.Count == 1 && sets[0] == ParameterSetMetadata.AllSetsMarker;
        if (sets.Count == 0 || (!appliesToAllSets && sets.Contains(ParameterSetMetadata.AllSetsMarker)))
        {
            throw Invalid(ParameterSetsKey, "'(All)' or a comma-separated list of set names");
        }

        var required = ParseBoolean(Value(RequiredKey)) ?? throw Invalid(RequiredKey, "True or False");
        var wildcards = ParseBoolean(Value(WildcardsKey)) ?? throw Invalid(WildcardsKey, "True or False");

        var position = Value(PositionKey);
        if (string.Equals(position, ParameterSetMetadata.NamedPosition, StringComparison.OrdinalIgnoreCase))
        {
            position = ParameterSetMetadata.NamedPosition;
        }
        else if (!uint.TryParse(position, out _))
        {
            throw Invalid(PositionKey, "Named or a number");
        }

        var pipelineInput = Value(PipelineInputKey);
        if (!PipelineInput().IsMatch(pipelineInput))
        {
            throw Invalid(PipelineInputKey, "False, or True (ByValue), True (ByPropertyName), True (ByPropertyName, ByValue)");
        }

        var defaultValue = Value(DefaultValueKey);
        return new ParameterSetMetadata
        {
            Type = Value(TypeKey),
            ParameterSets = appliesToAllSets ? [] : sets,
            AppliesToAllSets = appliesToAllSets,
            Aliases = values.TryGetValue(AliasesKey, out var aliases) ? SplitList(aliases.Value) : [],
            AcceptedValues = values.TryGetValue(AcceptedValuesKey, out var accepted) ? SplitList(accepted.Value) : [],
            Required = required,
            Position = position,
            DefaultValue = defaultValue.Length == 0 ? "None" : defaultValue,
            PipelineInput = pipelineInput,
            AcceptsWildcards = wildcards,
            LineNumber = yaml.LineNumber,
        };
    }

    private static List<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static bool? ParseBoolean(string value) =>
        bool.TryParse(value, out var result) ? result : null;

    [GeneratedRegex(@"^(False|True(\s*\(\s*(ByValue|ByPropertyName)(\s*,\s*(ByValue|ByPropertyName))?\s*\))?)$",
        RegexOptions.IgnoreCase)]
    private static partial Regex PipelineInput();
}
