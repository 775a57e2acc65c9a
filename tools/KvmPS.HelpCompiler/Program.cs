namespace KvmPS.HelpCompiler;

/// <summary>
/// Command line:
///   KvmPS.HelpCompiler &lt;markdownFolder&gt; &lt;outputMamlPath&gt;
///   KvmPS.HelpCompiler --check &lt;markdownFolder&gt; &lt;existingMamlPath&gt;
/// </summary>
public static class Program
{
    public const int Success = 0;
    public const int Stale = 1;
    public const int MalformedHelp = 2;
    public const int UsageError = 64;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var check = args.Length == 3 && args[0] == "--check";
        if (!check && (args.Length != 2 || args[0].StartsWith("--", StringComparison.Ordinal)))
        {
            error.WriteLine("usage: KvmPS.HelpCompiler <markdownFolder> <outputMamlPath>");
            error.WriteLine("       KvmPS.HelpCompiler --check <markdownFolder> <existingMamlPath>");
            return UsageError;
        }

        var markdownFolder = check ? args[1] : args[0];
        var mamlPath = check ? args[2] : args[1];
        try
        {
            return check ? Check(markdownFolder, mamlPath, output, error) : Generate(markdownFolder, mamlPath, output);
        }
        catch (HelpFolderException malformed)
        {
            foreach (var problem in malformed.Errors)
            {
                error.WriteLine($"error: {problem.Message}");
            }

            error.WriteLine($"{malformed.Errors.Count} help file problem(s); no MAML written.");
            return MalformedHelp;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {failure.Message}");
            return MalformedHelp;
        }
    }

    private static int Generate(string markdownFolder, string mamlPath, TextWriter output)
    {
        var cmdlets = PlatyPsMarkdownParser.ParseFolder(markdownFolder);
        MamlWriter.WriteFile(cmdlets, mamlPath);
        output.WriteLine($"Wrote help for {cmdlets.Count} cmdlet(s) to {mamlPath}");
        return Success;
    }

    private static int Check(string markdownFolder, string mamlPath, TextWriter output, TextWriter error)
    {
        if (HelpCompilation.IsUpToDate(markdownFolder, mamlPath))
        {
            output.WriteLine($"{mamlPath} is up to date with {markdownFolder}");
            return Success;
        }

        var reason = File.Exists(mamlPath) ? "differs from" : "is missing; expected";
        error.WriteLine($"stale help: {mamlPath} {reason} what {markdownFolder} generates.");
        error.WriteLine($"Regenerate it: dotnet run --project tools/KvmPS.HelpCompiler -- {markdownFolder} {mamlPath}");
        return Stale;
    }
}
