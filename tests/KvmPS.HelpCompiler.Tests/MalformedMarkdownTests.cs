namespace KvmPS.HelpCompiler.Tests;

public sealed class MalformedMarkdownTests
{
    private static readonly string TwoSet = SampleFiles.Text(SampleFiles.TwoSetCmdlet);
    private static readonly string SingleSet = SampleFiles.Text(SampleFiles.SingleSetCmdlet);

    private static HelpFormatException ParseFails(string markdown) =>
        Assert.Throws<HelpFormatException>(() => PlatyPsMarkdownParser.Parse(markdown, "broken.md"));

    private static string Without(string markdown, string removed)
    {
        Assert.Contains(removed, markdown);
        return markdown.Replace(removed, string.Empty);
    }

    [Fact]
    public void MissingSynopsisIsReportedAtTheTitleLine()
    {
        var markdown = Without(TwoSet, "## SYNOPSIS\nGets the virtual CPUs of a KVM virtual machine.\n\n");

        var error = ParseFails(markdown);

        Assert.Equal("broken.md", error.SourceName);
        Assert.Equal(SampleFiles.LineOf(markdown, "# Get-KvmVcpu"), error.LineNumber);
        Assert.Contains("'## SYNOPSIS'", error.Problem);
        Assert.StartsWith($"broken.md:{error.LineNumber}: ", error.Message);
    }

    [Fact]
    public void MissingExamplesSectionIsAnError()
    {
        var start = SingleSet.IndexOf("## EXAMPLES", StringComparison.Ordinal);
        var end = SingleSet.IndexOf("## PARAMETERS", StringComparison.Ordinal);
        var markdown = SingleSet.Remove(start, end - start);

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "# Stop-KvmVm"), error.LineNumber);
        Assert.Contains("'## EXAMPLES'", error.Problem);
    }

    [Fact]
    public void EmptyDescriptionIsReportedAtItsHeading()
    {
        var markdown = Without(SingleSet, "Stops every vCPU of the VM and releases its memory.\n");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "## DESCRIPTION"), error.LineNumber);
        Assert.Contains("empty", error.Problem);
    }

    [Fact]
    public void ParameterWithoutDescriptionIsReportedAtItsHeading()
    {
        var markdown = Without(TwoSet, "Zero-based indexes of the CPUs to return.\n");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "### -Index"), error.LineNumber);
        Assert.Contains("-Index has no description", error.Problem);
    }

    [Fact]
    public void ParameterWithoutYamlIsAnError()
    {
        var start = SingleSet.IndexOf("```yaml", StringComparison.Ordinal);
        var end = SingleSet.IndexOf("```\n", start + 7, StringComparison.Ordinal) + 4;
        var markdown = SingleSet.Remove(start, end - start);

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "### -Force"), error.LineNumber);
    }

    [Fact]
    public void ExampleWithoutCodeIsReportedAtItsHeading()
    {
        var markdown = Without(SingleSet, "```powershell\nStop-KvmVm -Vm $vm -Force\n```\n");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "### Example 1: Stop a VM"), error.LineNumber);
    }

    [Fact]
    public void InvalidYamlValueIsReportedAtItsLine()
    {
        var markdown = TwoSet.Replace("Required: True\nPosition: 0", "Required: Maybe\nPosition: 0");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "Required: Maybe"), error.LineNumber);
        Assert.Contains("-Vm", error.Problem);
    }

    [Fact]
    public void UnknownYamlKeyIsReportedAtItsLine()
    {
        var markdown = TwoSet.Replace("Aliases: VirtualMachine", "Alias: VirtualMachine");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "Alias: VirtualMachine"), error.LineNumber);
    }

    [Fact]
    public void ParameterSetMissingFromSyntaxIsAnError()
    {
        var markdown = TwoSet.Replace("Parameter Sets: ByName", "Parameter Sets: ByNmae");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "Parameter Sets: ByNmae") - 2, error.LineNumber);
        Assert.Contains("'ByNmae'", error.Problem);
    }

    [Fact]
    public void TwoYamlBlocksForTheSameSetAreAnError()
    {
        var markdown = TwoSet.Replace("Parameter Sets: ByName\nAliases:\n", "Parameter Sets: ByVm\nAliases:\n");

        var error = ParseFails(markdown);

        Assert.Contains("-Index has two yaml blocks for parameter set 'ByVm'", error.Problem);
    }

    [Fact]
    public void SyntaxLineThatOmitsAParameterOfItsSetIsAnError()
    {
        var markdown = TwoSet.Replace("Get-KvmVcpu -VmName <String> [-Index <Int32[]>] [-State <String>]", "Get-KvmVcpu -VmName <String> [-Index <Int32[]>]");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "### ByName"), error.LineNumber);
        Assert.Contains("-State", error.Problem);
    }

    [Fact]
    public void SyntaxLineShowingAnUndescribedParameterIsAnError()
    {
        var markdown = SingleSet.Replace("[-Force] [<CommonParameters>]", "[-Force] [-PassThru] [<CommonParameters>]");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "### __AllParameterSets"), error.LineNumber);
        Assert.Contains("-PassThru", error.Problem);
    }

    [Fact]
    public void PlatyPsPlaceholderIsAnError()
    {
        var markdown = SingleSet.Replace("Stops a virtual machine.", "{{ Fill in the Synopsis }}");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "{{ Fill in the Synopsis }}"), error.LineNumber);
    }

    [Fact]
    public void UnclosedCodeBlockIsReportedAtItsOpeningFence()
    {
        var markdown = SingleSet.Replace("Stop-KvmVm -Vm $vm -Force\n```\n", "Stop-KvmVm -Vm $vm -Force\n");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "```powershell"), error.LineNumber);
    }

    [Fact]
    public void UnknownSectionIsAnError()
    {
        var markdown = SingleSet.Replace("## NOTES", "## REMARKS");

        var error = ParseFails(markdown);

        Assert.Equal(SampleFiles.LineOf(markdown, "## REMARKS"), error.LineNumber);
    }

    [Fact]
    public void FileNamedAfterAnotherCmdletIsAnError()
    {
        using var scratch = new ScratchFolder();
        var path = scratch.Combine("Stop-KvmVcpu.md");
        File.WriteAllText(path, SingleSet);

        var error = Assert.Throws<HelpFormatException>(() => PlatyPsMarkdownParser.ParseFile(path));

        Assert.Equal(path, error.SourceName);
        Assert.Equal(SampleFiles.LineOf(SingleSet, "# Stop-KvmVm"), error.LineNumber);
    }

    [Fact]
    public void FolderReportsEveryBrokenFile()
    {
        using var scratch = ScratchFolder.WithSamples();
        File.WriteAllText(scratch.Combine("Get-KvmVcpu.md"), Without(TwoSet, "Zero-based indexes of the CPUs to return.\n"));
        File.WriteAllText(scratch.Combine("Stop-KvmVm.md"), SingleSet.Replace("## NOTES", "## REMARKS"));

        var error = Assert.Throws<HelpFolderException>(() => PlatyPsMarkdownParser.ParseFolder(scratch.Path));

        Assert.Equal(2, error.Errors.Count);
        Assert.EndsWith("Get-KvmVcpu.md", error.Errors[0].SourceName);
        Assert.EndsWith("Stop-KvmVm.md", error.Errors[1].SourceName);
    }
}
