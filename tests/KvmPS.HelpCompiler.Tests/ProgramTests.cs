namespace KvmPS.HelpCompiler.Tests;

public sealed class ProgramTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = Program.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void GeneratesTheMamlFileAndCreatesItsFolder()
    {
        using var scratch = ScratchFolder.WithSamples();
        var maml = scratch.Combine("out", "en-US", "KvmPS.dll-Help.xml");

        var result = Run(scratch.Path, maml);

        Assert.Equal(Program.Success, result.ExitCode);
        Assert.Equal(HelpCompilation.Compile(scratch.Path), File.ReadAllBytes(maml));
        Assert.Contains("2 cmdlet(s)", result.Output);
    }

    [Fact]
    public void CheckPassesWhenTheFileIsCurrent()
    {
        using var scratch = ScratchFolder.WithSamples();
        var maml = scratch.Combine("KvmPS.dll-Help.xml");
        Run(scratch.Path, maml);

        var result = Run("--check", scratch.Path, maml);

        Assert.Equal(Program.Success, result.ExitCode);
        Assert.Contains("up to date", result.Output);
    }

    [Fact]
    public void CheckFailsWhenTheMarkdownChangedSinceGeneration()
    {
        using var scratch = ScratchFolder.WithSamples();
        var maml = scratch.Combine("KvmPS.dll-Help.xml");
        Run(scratch.Path, maml);
        var markdownPath = scratch.Combine("Stop-KvmVm.md");
        File.WriteAllText(markdownPath, File.ReadAllText(markdownPath).Replace("Stops a virtual machine.", "Stops a running virtual machine."));

        var result = Run("--check", scratch.Path, maml);

        Assert.Equal(Program.Stale, result.ExitCode);
        Assert.Contains("stale", result.Error);
        Assert.Contains(maml, result.Error);
    }

    [Fact]
    public void CheckFailsWhenTheMamlFileIsMissing()
    {
        using var scratch = ScratchFolder.WithSamples();

        var result = Run("--check", scratch.Path, scratch.Combine("missing.xml"));

        Assert.Equal(Program.Stale, result.ExitCode);
        Assert.Contains("missing", result.Error);
    }

    [Fact]
    public void MalformedMarkdownFailsNamingFileAndLineAndWritesNothing()
    {
        using var scratch = ScratchFolder.WithSamples();
        var markdownPath = scratch.Combine("Stop-KvmVm.md");
        var broken = File.ReadAllText(markdownPath).Replace("## NOTES", "## REMARKS");
        File.WriteAllText(markdownPath, broken);
        var maml = scratch.Combine("KvmPS.dll-Help.xml");

        var result = Run(scratch.Path, maml);

        Assert.Equal(Program.MalformedHelp, result.ExitCode);
        Assert.Contains($"{markdownPath}:{SampleFiles.LineOf(broken, "## REMARKS")}:", result.Error);
        Assert.False(File.Exists(maml));
    }

    [Theory]
    [InlineData]
    [InlineData("only-one-argument")]
    [InlineData("--check", "folder")]
    [InlineData("--bogus", "a", "b")]
    public void WrongArgumentsPrintUsage(params string[] args)
    {
        var result = Run(args);

        Assert.Equal(Program.UsageError, result.ExitCode);
        Assert.Contains("usage:", result.Error);
    }

    [Fact]
    public void MissingMarkdownFolderIsAnError()
    {
        using var scratch = new ScratchFolder();

        var result = Run(scratch.Combine("nope"), scratch.Combine("out.xml"));

        Assert.Equal(Program.MalformedHelp, result.ExitCode);
        Assert.Contains("does not exist", result.Error);
    }
}
