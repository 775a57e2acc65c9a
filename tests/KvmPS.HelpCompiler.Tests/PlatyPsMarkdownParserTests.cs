namespace KvmPS.HelpCompiler.Tests;

public sealed class PlatyPsMarkdownParserTests
{
    private static CmdletHelp ParseSample(string name) => PlatyPsMarkdownParser.ParseFile(SampleFiles.PathOf(name));

    [Fact]
    public void ReadsFrontMatterTitleSynopsisAndDescription()
    {
        var help = ParseSample(SampleFiles.TwoSetCmdlet);

        Assert.Equal("Get-KvmVcpu", help.Name);
        Assert.Equal("Get", help.Verb);
        Assert.Equal("KvmVcpu", help.Noun);
        Assert.Equal("KvmPS.dll-Help.xml", help.ExternalHelpFile);
        Assert.Equal("KvmPS", help.ModuleName);
        Assert.Equal("https://example.invalid/kvmps/Get-KvmVcpu", help.OnlineVersion);
        Assert.Equal("2.0.0", help.Schema);
        Assert.Equal(SampleFiles.PathOf(SampleFiles.TwoSetCmdlet), help.SourcePath);
        Assert.Equal(["Gets the virtual CPUs of a KVM virtual machine."], help.Synopsis);
        Assert.Equal(
            [
                "The Get-KvmVcpu cmdlet returns one object per virtual CPU of a virtual machine, "
                + "with its index, its state and the file descriptor KVM gave it.",
                "Use -Index to select CPUs & -State to filter on \"Running\" or <Halted> ones.",
            ],
            help.Description);
    }

    [Fact]
    public void ReadsBothParameterSetsWithTheirSyntaxLines()
    {
        var help = ParseSample(SampleFiles.TwoSetCmdlet);

        Assert.Equal(["ByVm", "ByName"], help.ParameterSetNames);
        var byVm = help.Syntax[0];
        Assert.True(byVm.IsDefault);
        Assert.False(byVm.IsAllParameterSets);
        Assert.Equal("Get-KvmVcpu [-Vm] <KvmVm> [[-Index] <Int32[]>] [-State <String>] [<CommonParameters>]", byVm.SyntaxLine);
        Assert.Equal(["Vm", "Index", "State"], byVm.ParameterNamesInSyntaxLine);
        Assert.True(byVm.MentionsCommonParameters);
        var byName = help.Syntax[1];
        Assert.False(byName.IsDefault);
        Assert.Equal(["VmName", "Index", "State"], byName.ParameterNamesInSyntaxLine);

        Assert.Equal(["Vm", "Index", "State"], help.ParametersInSet("ByVm").Select(p => p.Name));
        Assert.Equal(["VmName", "Index", "State"], help.ParametersInSet("ByName").Select(p => p.Name));
    }

    [Fact]
    public void ReadsEveryParameterField()
    {
        var help = ParseSample(SampleFiles.TwoSetCmdlet);

        Assert.Equal(["Vm", "VmName", "Index", "State"], help.ParameterNames);
        Assert.True(help.SupportsCommonParameters);

        var vm = help.FindParameter("vm")!;
        Assert.Equal(["The virtual machine whose CPUs are returned."], vm.Description);
        var vmMetadata = Assert.Single(vm.Metadata);
        Assert.Equal("KvmVm", vmMetadata.Type);
        Assert.Equal(["ByVm"], vmMetadata.ParameterSets);
        Assert.False(vmMetadata.AppliesToAllSets);
        Assert.Equal(["VirtualMachine"], vmMetadata.Aliases);
        Assert.Empty(vmMetadata.AcceptedValues);
        Assert.True(vmMetadata.Required);
        Assert.Equal("0", vmMetadata.Position);
        Assert.Equal(0, vmMetadata.PositionNumber);
        Assert.Equal("None", vmMetadata.DefaultValue);
        Assert.Equal("True (ByValue)", vmMetadata.PipelineInput);
        Assert.True(vmMetadata.AcceptsPipelineInputByValue);
        Assert.False(vmMetadata.AcceptsPipelineInputByPropertyName);
        Assert.False(vmMetadata.AcceptsWildcards);
        Assert.Same(vmMetadata, vm.MetadataFor("ByVm"));
        Assert.Null(vm.MetadataFor("ByName"));

        var vmName = help.FindParameter("VmName")!;
        Assert.Equal(["The name of the virtual machine. Wildcards are allowed."], vmName.Description);
        Assert.Equal("String", vmName.Type);
        Assert.Equal(["ByName"], vmName.ParameterSetNames);
        Assert.Equal(["Name"], vmName.Aliases);
        Assert.True(vmName.PrimaryMetadata.IsNamed);
        Assert.Equal("Named", vmName.PrimaryMetadata.Position);
        Assert.True(vmName.PrimaryMetadata.AcceptsPipelineInputByPropertyName);
        Assert.False(vmName.PrimaryMetadata.AcceptsPipelineInputByValue);
        Assert.True(vmName.PrimaryMetadata.AcceptsWildcards);

        var index = help.FindParameter("Index")!;
        Assert.Equal("Int32[]", index.Type);
        Assert.False(index.AppliesToAllSets);
        Assert.Equal(["ByVm", "ByName"], index.ParameterSetNames);
        Assert.Equal(2, index.Metadata.Count);
        Assert.Empty(index.Aliases);
        Assert.Equal(1, index.MetadataFor("ByVm")!.PositionNumber);
        Assert.True(index.MetadataFor("ByName")!.IsNamed);
        Assert.All(index.Metadata, m => Assert.False(m.Required));
        Assert.All(index.Metadata, m => Assert.Equal("All CPUs", m.DefaultValue));
        Assert.All(index.Metadata, m => Assert.False(m.AcceptsPipelineInput));
        Assert.Equal("False", index.PrimaryMetadata.PipelineInput);

        var state = help.FindParameter("State")!;
        Assert.True(state.AppliesToAllSets);
        Assert.NotNull(state.MetadataFor("ByName"));
        Assert.Equal(["Running", "Halted"], state.AcceptedValues);
        Assert.False(state.IsSwitch);
    }

    [Fact]
    public void ReadsExamplesWithIntroductionCodeAndRemarks()
    {
        var help = ParseSample(SampleFiles.TwoSetCmdlet);

        Assert.Equal(2, help.Examples.Count);
        var first = help.Examples[0];
        Assert.Equal("Example 1: List every vCPU of a VM", first.Title);
        Assert.Empty(first.Introduction);
        Assert.Equal("PS> $vm = New-KvmVm -Name web -MemoryMB 512\nPS> Get-KvmVcpu -Vm $vm", first.Code);
        Assert.Equal(["This command lists the vCPUs of the VM stored in $vm."], first.Remarks);

        var second = help.Examples[1];
        Assert.Equal("Example 2: Pipe a VM by name", second.Title);
        Assert.Equal(["Before running this example, start a VM named web."], second.Introduction);
        Assert.Equal("# Halted CPUs only\n[pscustomobject]@{ VmName = 'web' } | Get-KvmVcpu -State Halted", second.Code);
        Assert.Equal(["The VmName property binds to -VmName by property name.", "A second remarks paragraph."], second.Remarks);
    }

    [Fact]
    public void ReadsInputsOutputsNotesAndLinks()
    {
        var help = ParseSample(SampleFiles.TwoSetCmdlet);

        Assert.Equal(["KvmPS.KvmVm", "System.String"], help.Inputs.Select(i => i.TypeName));
        Assert.Equal(["A virtual machine object from New-KvmVm."], help.Inputs[0].Description);
        Assert.Empty(help.Inputs[1].Description);
        var output = Assert.Single(help.Outputs);
        Assert.Equal("KvmPS.KvmVcpu", output.TypeName);
        Assert.Equal(["A vCPU belongs to exactly one VM; see about_KvmPS_Vcpus (https://example.invalid/kvmps/vcpus)."], help.Notes);
        Assert.Equal(2, help.RelatedLinks.Count);
        Assert.Equal("Online Version:", help.RelatedLinks[0].Text);
        Assert.Equal("https://example.invalid/kvmps/Get-KvmVcpu", help.RelatedLinks[0].Uri);
        Assert.Equal("New-KvmVm", help.RelatedLinks[1].Text);
        Assert.Equal(string.Empty, help.RelatedLinks[1].Uri);
    }

    [Fact]
    public void ReadsSingleSetCmdletWithSwitchAndEmptyOptionalSections()
    {
        var help = ParseSample(SampleFiles.SingleSetCmdlet);

        var syntax = Assert.Single(help.Syntax);
        Assert.True(syntax.IsAllParameterSets);
        Assert.True(syntax.IsDefault);
        Assert.True(help.FindParameter("Force")!.IsSwitch);
        Assert.Equal(["Vm", "Force"], help.ParametersInSet(ParameterSetSyntax.AllParameterSetsName).Select(p => p.Name));
        Assert.Equal(["Force", "Vm"], help.ParameterNames);
        Assert.Empty(help.Notes);
        Assert.Empty(help.RelatedLinks);
        Assert.Empty(Assert.Single(help.Examples).Remarks);
        Assert.Equal(string.Empty, help.OnlineVersion);
    }

    [Fact]
    public void AcceptsSyntaxWithoutSetHeadingAndWindowsLineEndings()
    {
        var markdown = SampleFiles.Text(SampleFiles.SingleSetCmdlet)
            .Replace("### __AllParameterSets\n", string.Empty)
            .Replace("\n", "\r\n");

        var help = PlatyPsMarkdownParser.Parse(markdown, "inline.md");

        Assert.Equal(ParameterSetSyntax.AllParameterSetsName, Assert.Single(help.Syntax).Name);
        Assert.Equal("Stop-KvmVm -Vm $vm -Force", help.Examples[0].Code);
    }

    [Fact]
    public void TreatsHeadingsInsideCodeBlocksAsCode()
    {
        var markdown = SampleFiles.Text(SampleFiles.SingleSetCmdlet)
            .Replace("Stop-KvmVm -Vm $vm -Force\n", "## not a section\n# nor a title\nStop-KvmVm -Vm $vm -Force\n");

        var help = PlatyPsMarkdownParser.Parse(markdown, "inline.md");

        Assert.Equal("## not a section\n# nor a title\nStop-KvmVm -Vm $vm -Force", help.Examples[0].Code);
    }

    [Fact]
    public void ParsesFolderSortedByNameAndSkipsNonCmdletPages()
    {
        using var scratch = ScratchFolder.WithSamples();
        File.WriteAllText(scratch.Combine("README.md"), "# Cmdlet docs\n");
        File.WriteAllText(scratch.Combine("about_KvmPS.md"), "# about_KvmPS\n");
        File.WriteAllText(scratch.Combine("KvmPS.md"), "---\nModule Name: KvmPS\nModule Guid: 00000000-0000-0000-0000-000000000000\n---\n# KvmPS Module\n");

        var cmdlets = PlatyPsMarkdownParser.ParseFolder(scratch.Path);

        Assert.Equal(["Get-KvmVcpu", "Stop-KvmVm"], cmdlets.Select(c => c.Name));
    }
}
