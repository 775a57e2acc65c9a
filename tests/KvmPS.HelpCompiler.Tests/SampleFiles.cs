namespace KvmPS.HelpCompiler.Tests;

/// <summary>The sample help files copied next to the test assembly, and scratch copies of them.</summary>
internal static class SampleFiles
{
    public const string TwoSetCmdlet = "Get-KvmVcpu";
    public const string SingleSetCmdlet = "Stop-KvmVm";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Samples");

    public static string PathOf(string cmdletName) => Path.Combine(Folder, cmdletName + ".md");

    public static string Text(string cmdletName) => File.ReadAllText(PathOf(cmdletName));

    /// <summary>One-based number of the first line equal to <paramref name="line"/>.</summary>
    public static int LineOf(string markdown, string line)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var index = Array.IndexOf(lines, line);
        Assert.True(index >= 0, $"sample has no line '{line}'");
        return index + 1;
    }
}

/// <summary>A temporary folder holding copies of the samples; deleted on dispose.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kvmps-helpc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public static ScratchFolder WithSamples()
    {
        var scratch = new ScratchFolder();
        foreach (var file in Directory.GetFiles(SampleFiles.Folder, "*.md"))
        {
            File.Copy(file, System.IO.Path.Combine(scratch.Path, System.IO.Path.GetFileName(file)));
        }

        return scratch;
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
