namespace KvmPS.HelpCompiler.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public void TwoCompilationsOfTheSameFolderAreByteIdentical()
    {
        var first = HelpCompilation.Compile(SampleFiles.Folder);
        var second = HelpCompilation.Compile(SampleFiles.Folder);

        Assert.Equal(first, second);
    }

    [Fact]
    public void InputOrderDoesNotChangeTheOutput()
    {
        var cmdlets = PlatyPsMarkdownParser.ParseFolder(SampleFiles.Folder);

        Assert.Equal(MamlWriter.ToBytes(cmdlets), MamlWriter.ToBytes(cmdlets.Reverse()));
    }

    [Fact]
    public void WindowsLineEndingsInMarkdownGiveTheSameOutput()
    {
        using var scratch = ScratchFolder.WithSamples();
        foreach (var file in Directory.GetFiles(scratch.Path))
        {
            File.WriteAllText(file, File.ReadAllText(file).Replace("\n", "\r\n"));
        }

        Assert.Equal(HelpCompilation.Compile(SampleFiles.Folder), HelpCompilation.Compile(scratch.Path));
    }
}
