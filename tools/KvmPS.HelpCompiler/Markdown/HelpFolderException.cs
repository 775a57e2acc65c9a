namespace KvmPS.HelpCompiler;

/// <summary>One or more help files of a folder are malformed; every file's first problem is listed.</summary>
public sealed class HelpFolderException : Exception
{
    public HelpFolderException(string folder, IReadOnlyList<HelpFormatException> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.Message)))
    {
        Folder = folder;
        Errors = errors;
    }

    public string Folder { get; }

    public IReadOnlyList<HelpFormatException> Errors { get; }
}
