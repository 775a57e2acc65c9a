namespace KvmPS.PowerShell;

/// <summary>Where Get-Help -Online finds each cmdlet's documentation: its page in docs/cmdlets of the repository.</summary>
internal static class HelpLinks
{
    public const string ProjectRoot = "https://github.com/kvmps/KvmPS";
    public const string CmdletsRoot = ProjectRoot + "/blob/main/docs/cmdlets/";
}
