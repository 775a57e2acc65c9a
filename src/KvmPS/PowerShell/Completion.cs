using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace KvmPS.PowerShell;

/// <summary>Shared by the completers: candidates that start with what was typed (quotes stripped), as results.</summary>
internal static class Completion
{
    public static IEnumerable<CompletionResult> Matching(string wordToComplete, IEnumerable<(string Value, string ToolTip)> candidates)
    {
        string typed = wordToComplete.Trim('\'', '"');
        return candidates
            .Where(c => c.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(c => c.Value, StringComparer.OrdinalIgnoreCase)
            .Select(c => new CompletionResult(Quote(c.Value), c.Value, CompletionResultType.ParameterValue, c.ToolTip));
    }

    /// <summary>The value bound to <paramref name="parameter"/> on the command line being completed, if PowerShell could evaluate it.</summary>
    public static T? Bound<T>(IDictionary fakeBoundParameters, string parameter) where T : class
    {
        object? value = fakeBoundParameters.Contains(parameter) ? fakeBoundParameters[parameter] : null;
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        return value switch
        {
            T one => one,
            IEnumerable many => many.Cast<object>().Select(o => o is PSObject w ? w.BaseObject : o).OfType<T>().FirstOrDefault(),
            _ => null,
        };
    }

    private static string Quote(string value) => value.Any(c => char.IsWhiteSpace(c) || c is '[' or ']' or '(' or ')' or '$' or '\'' or '"' or ',')
        ? "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'"
        : value;
}

/// <summary>A completer that lists (value, tooltip) candidates; the ones that start with what was typed are offered.</summary>
internal abstract class CandidateCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) => Completion.Matching(wordToComplete, Candidates(fakeBoundParameters));

    /// <summary>Every value the parameter could take, given the other parameters bound on the command line.</summary>
    protected abstract IEnumerable<(string Value, string ToolTip)> Candidates(IDictionary fakeBoundParameters);
}

/// <summary>
/// On numeric parameters that have no set of values: offers nothing, so that PowerShell does not fall back to
/// file names where a number is expected.
/// </summary>
internal sealed class NoCompletionCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) => [];
}
