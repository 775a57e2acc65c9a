namespace KvmPS.HelpCompiler;

/// <summary>Markdown folder in, MAML bytes out; and the comparison behind --check.</summary>
public static class HelpCompilation
{
    /// <exception cref="HelpFolderException">Some Markdown files are malformed.</exception>
    public static byte[] Compile(string markdownFolder) =>
        MamlWriter.ToBytes(PlatyPsMarkdownParser.ParseFolder(markdownFolder));

    /// <summary>True when the MAML file exists and equals, byte for byte, what the folder compiles to.</summary>
    /// <exception cref="HelpFolderException">Some Markdown files are malformed.</exception>
    public static bool IsUpToDate(string markdownFolder, string mamlPath)
    {
        var expected = Compile(markdownFolder);
        return File.Exists(mamlPath) && File.ReadAllBytes(mamlPath).AsSpan().SequenceEqual(expected);
    }
}
