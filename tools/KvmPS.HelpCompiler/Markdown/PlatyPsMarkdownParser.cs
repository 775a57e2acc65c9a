namespace KvmPS.HelpCompiler;

/// <summary>Reads cmdlet help written in the platyPS v1 Markdown layout (schema 2.0.0).</summary>
public static class PlatyPsMarkdownParser
{
    /// <summary>
    /// Parses every cmdlet file of a folder (not its subfolders) and returns the help sorted by cmdlet name.
    /// README.md, about_*.md and the platyPS module page (front matter with "Module Guid") are skipped.
    /// </summary>
    /// <exception cref="HelpFolderException">Some files are malformed; each one's first problem is reported.</exception>
    public static IReadOnlyList<CmdletHelp> ParseFolder(string markdownFolder)
    {
        if (!Directory.Exists(markdownFolder))
        {
            throw new DirectoryNotFoundException($"Markdown folder '{markdownFolder}' does not exist.");
        }

        var cmdlets = new List<CmdletHelp>();
        var errors = new List<HelpFormatException>();
        foreach (var path in FindCmdletFiles(markdownFolder))
        {
            try
            {
                cmdlets.Add(ParseFile(path));
            }
            catch (HelpFormatException error)
            {
                errors.Add(error);
            }
        }

        foreach (var duplicate in cmdlets.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var second = duplicate.Skip(1).First();
            errors.Add(new HelpFormatException(second.SourcePath!, 1,
                $"{duplicate.Key} is also described by {duplicate.First().SourcePath}"));
        }

        if (cmdlets.Count == 0 && errors.Count == 0)
        {
            errors.Add(new HelpFormatException(markdownFolder, 0, "the folder holds no cmdlet help file (*.md)"));
        }

        if (errors.Count > 0)
        {
            throw new HelpFolderException(markdownFolder, errors);
        }

        return cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Parses one cmdlet file; its name (without .md) must be the cmdlet name.</summary>
    /// <exception cref="HelpFormatException">The file is malformed or its help is incomplete.</exception>
    public static CmdletHelp ParseFile(string path)
    {
        var markdown = File.ReadAllText(path);
        return CmdletFileParser.Parse(markdown, path, path, expectedName: Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Parses Markdown text; sourceName only labels error messages.</summary>
    /// <exception cref="HelpFormatException">The text is malformed or its help is incomplete.</exception>
    public static CmdletHelp Parse(string markdown, string sourceName) =>
        CmdletFileParser.Parse(markdown, sourceName, sourcePath: null, expectedName: null);

    /// <summary>The *.md files of a folder that hold cmdlet help, sorted by file name.</summary>
    public static IReadOnlyList<string> FindCmdletFiles(string markdownFolder) =>
        Directory.EnumerateFiles(markdownFolder, "*.md", SearchOption.TopDirectoryOnly)
            .Where(IsCmdletFile)
            .OrderBy(Path.GetFileName, StringComparer.Ordinal)
            .ToList();

    private static bool IsCmdletFile(string path)
    {
        var name = Path.GetFileName(path);
        if (name.Equals("README.md", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !IsModulePage(path);
    }

    private static bool IsModulePage(string path)
    {
        using var reader = new StreamReader(path);
        if (reader.ReadLine()?.Trim() != "---")
        {
            return false;
        }

        for (var line = reader.ReadLine(); line is not null && line.Trim() != "---"; line = reader.ReadLine())
        {
            if (line.TrimStart().StartsWith("Module Guid:", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
