using System.Text;
using System.Xml.Linq;

namespace KvmPS.HelpCompiler.Tests;

public sealed class MamlWriterTests
{
    private static readonly XNamespace Msh = MamlNamespaces.HelpItems;
    private static readonly XNamespace Maml = MamlNamespaces.Maml;
    private static readonly XNamespace Command = MamlNamespaces.Command;
    private static readonly XNamespace Dev = MamlNamespaces.Dev;

    private static IReadOnlyList<CmdletHelp> Samples() => PlatyPsMarkdownParser.ParseFolder(SampleFiles.Folder);

    private static XDocument WriteAndLoad(IEnumerable<CmdletHelp> cmdlets) =>
        XDocument.Parse(MamlWriter.ToXml(cmdlets));

    private static XElement CommandNamed(XDocument document, string name) =>
        document.Root!.Elements(Command + "command")
            .Single(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == name);

    private static IEnumerable<string> Paras(XElement? container) =>
        container?.Elements(Maml + "para").Select(p => p.Value) ?? [];

    [Fact]
    public void WritesHelpItemsRootWithOneCommandPerCmdletSortedByName()
    {
        var document = WriteAndLoad(Samples().Reverse());

        Assert.Equal(Msh + "helpItems", document.Root!.Name);
        Assert.Equal("maml", document.Root.Attribute("schema")!.Value);
        var commands = document.Root.Elements(Command + "command").ToList();
        Assert.Equal(
            ["Get-KvmVcpu", "Stop-KvmVm"],
            commands.Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value));
        foreach (var command in commands)
        {
            Assert.Equal(MamlNamespaces.Maml, command.Attribute(XNamespace.Xmlns + "maml")!.Value);
            Assert.Equal(MamlNamespaces.Command, command.Attribute(XNamespace.Xmlns + "command")!.Value);
            Assert.Equal(MamlNamespaces.Dev, command.Attribute(XNamespace.Xmlns + "dev")!.Value);
            Assert.Equal(MamlNamespaces.MSHelp, command.Attribute(XNamespace.Xmlns + "MSHelp")!.Value);
        }
    }

    [Fact]
    public void WritesChildrenInTheOrderPowerShellExpects()
    {
        var command = CommandNamed(WriteAndLoad(Samples()), "Get-KvmVcpu");

        Assert.Equal(
            [
                Command + "details", Maml + "description", Command + "syntax", Command + "parameters",
                Command + "inputTypes", Command + "returnValues", Maml + "alertSet", Command + "examples",
                Command + "relatedLinks",
            ],
            command.Elements().Select(e => e.Name));
    }

    [Fact]
    public void RoundTripsTheModelThroughTheXml()
    {
        var cmdlets = Samples();
        var document = WriteAndLoad(cmdlets);

        foreach (var help in cmdlets)
        {
            var command = CommandNamed(document, help.Name);
            var details = command.Element(Command + "details")!;
            Assert.Equal(help.Verb, details.Element(Command + "verb")!.Value);
            Assert.Equal(help.Noun, details.Element(Command + "noun")!.Value);
            Assert.Equal(help.Synopsis, Paras(details.Element(Maml + "description")));
            Assert.Equal(help.Description, Paras(command.Element(Maml + "description")));

            var syntaxItems = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
            Assert.Equal(help.Syntax.Count, syntaxItems.Count);
            for (var i = 0; i < help.Syntax.Count; i++)
            {
                Assert.Equal(help.Name, syntaxItems[i].Element(Maml + "name")!.Value);
                Assert.Equal(
                    help.ParametersInSet(help.Syntax[i].Name).Select(p => p.Name),
                    syntaxItems[i].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
            }

            var parameters = command.Element(Command + "parameters")!.Elements(Command + "parameter").ToList();
            Assert.Equal(help.ParameterNames, parameters.Select(p => p.Element(Maml + "name")!.Value));
            foreach (var (parameter, element) in help.Parameters.Zip(parameters))
            {
                var metadata = parameter.PrimaryMetadata;
                Assert.Equal(parameter.Description, Paras(element.Element(Maml + "description")));
                Assert.Equal(metadata.Required ? "true" : "false", element.Attribute("required")!.Value);
                Assert.Equal(metadata.AcceptsWildcards ? "true" : "false", element.Attribute("globbing")!.Value);
                Assert.Equal(metadata.PipelineInput, element.Attribute("pipelineInput")!.Value);
                Assert.Equal(metadata.IsNamed ? "named" : metadata.Position, element.Attribute("position")!.Value);
                Assert.Equal(metadata.Type, element.Element(Dev + "type")!.Element(Maml + "name")!.Value);
                Assert.Equal(metadata.Type, element.Element(Command + "parameterValue")!.Value);
                Assert.Equal(metadata.DefaultValue, element.Element(Dev + "defaultValue")!.Value);
            }

            var examples = command.Element(Command + "examples")!.Elements(Command + "example").ToList();
            Assert.Equal(help.Examples.Count, examples.Count);
            foreach (var (example, element) in help.Examples.Zip(examples))
            {
                Assert.Equal(example.Title, element.Element(Maml + "title")!.Value.Trim('-', ' '));
                Assert.Equal(example.Code, element.Element(Dev + "code")!.Value);
                Assert.Equal(example.Introduction, Paras(element.Element(Maml + "introduction")));
                Assert.Equal(example.Remarks, Paras(element.Element(Dev + "remarks")));
            }

            Assert.Equal(
                help.Inputs.Select(t => t.TypeName),
                command.Descendants(Command + "inputType").Select(t => t.Element(Dev + "type")!.Element(Maml + "name")!.Value));
            Assert.Equal(
                help.Outputs.Select(t => t.TypeName),
                command.Descendants(Command + "returnValue").Select(t => t.Element(Dev + "type")!.Element(Maml + "name")!.Value));
            Assert.Equal(help.Notes, Paras(command.Element(Maml + "alertSet")?.Element(Maml + "alert")));
            Assert.Equal(
                help.RelatedLinks.Select(l => (l.Text, l.Uri)),
                command.Descendants(Maml + "navigationLink")
                    .Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value)));
        }
    }

    [Fact]
    public void WritesPerSetAttributesAliasesAndAcceptedValues()
    {
        var command = CommandNamed(WriteAndLoad(Samples()), "Get-KvmVcpu");
        var byName = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ElementAt(1);
        var vmName = byName.Elements(Command + "parameter").First();

        Assert.Equal("VmName", vmName.Element(Maml + "name")!.Value);
        Assert.Equal("true", vmName.Attribute("required")!.Value);
        Assert.Equal("True (ByPropertyName)", vmName.Attribute("pipelineInput")!.Value);
        Assert.Equal("Name", vmName.Attribute("aliases")!.Value);

        var state = byName.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "State");
        Assert.Equal("none", state.Attribute("aliases")!.Value);
        Assert.Equal(
            ["Running", "Halted"],
            state.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));

        var index = byName.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Index");
        Assert.Equal("true", index.Attribute("variableLength")!.Value);
        Assert.Equal("named", index.Attribute("position")!.Value);

        var byVm = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ElementAt(0);
        var indexByVm = byVm.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Index");
        Assert.Equal("1", indexByVm.Attribute("position")!.Value);
    }

    [Fact]
    public void LeavesTheValueOfSwitchParametersOutOfSyntaxOnly()
    {
        var command = CommandNamed(WriteAndLoad(Samples()), "Stop-KvmVm");
        XElement Force(XElement container) =>
            container.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Force");

        var inSyntax = Force(command.Element(Command + "syntax")!.Element(Command + "syntaxItem")!);
        var inParameters = Force(command.Element(Command + "parameters")!);

        Assert.Null(inSyntax.Element(Command + "parameterValue"));
        Assert.Equal("SwitchParameter", inParameters.Element(Command + "parameterValue")!.Value);
        Assert.Equal("false", inParameters.Element(Command + "parameterValue")!.Attribute("required")!.Value);
    }

    [Fact]
    public void EscapesXmlSpecialCharacters()
    {
        var xml = MamlWriter.ToXml(Samples());

        Assert.Contains("CPUs &amp; -State to filter on \"Running\" or &lt;Halted&gt; ones.", xml);
        Assert.Contains("PS&gt; Get-KvmVcpu -Vm $vm", xml);
    }

    [Fact]
    public void WritesUtf8WithoutBomAndUnixLineEndings()
    {
        var bytes = MamlWriter.ToBytes(Samples());
        var text = Encoding.UTF8.GetString(bytes);

        Assert.NotEqual(0xEF, bytes[0]);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<helpItems schema=\"maml\" xmlns=\"http://msh\">\n", text);
        Assert.DoesNotContain('\r', text);
        Assert.EndsWith("</helpItems>\n", text);
    }
}
