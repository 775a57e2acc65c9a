namespace KvmPS.HelpCompiler;

/// <summary>One "[text](uri)" line of the RELATED LINKS section; Uri is empty for links to other help topics.</summary>
public sealed class RelatedLink
{
    public required string Text { get; init; }

    public required string Uri { get; init; }
}
