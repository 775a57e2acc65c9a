using System.Xml;

namespace KvmPS.HelpCompiler;

/// <summary>Writes the &lt;command:command&gt; element of one cmdlet.</summary>
internal sealed class MamlCommandWriter
{
    private const string ExampleTitleRule = "----------";

    private readonly XmlWriter _writer;
    private readonly CmdletHelp _cmdlet;

    public MamlCommandWriter(XmlWriter writer, CmdletHelp cmdlet)
    {
        _writer = writer;
        _cmdlet = cmdlet;
    }

    public void Write()
    {
        _writer.WriteStartElement("command", "command", MamlNamespaces.Command);
        _writer.WriteAttributeString("xmlns", "maml", null, MamlNamespaces.Maml);
        _writer.WriteAttributeString("xmlns", "command", null, MamlNamespaces.Command);
        _writer.WriteAttributeString("xmlns", "dev", null, MamlNamespaces.Dev);
        _writer.WriteAttributeString("xmlns", "MSHelp", null, MamlNamespaces.MSHelp);

        WriteDetails();
        WriteParagraphs("maml", "description", MamlNamespaces.Maml, _cmdlet.Description);
        WriteSyntax();
        WriteParameters();
        WriteTypes("inputTypes", "inputType", _cmdlet.Inputs);
        WriteTypes("returnValues", "returnValue", _cmdlet.Outputs);
        WriteNotes();
        WriteExamples();
        WriteRelatedLinks();

        _writer.WriteEndElement();
    }

    private void WriteDetails()
    {
        Start("command", "details");
        Element("command", "name", _cmdlet.Name);
        Element("command", "verb", _cmdlet.Verb);
        Element("command", "noun", _cmdlet.Noun);
        WriteParagraphs("maml", "description", MamlNamespaces.Maml, _cmdlet.Synopsis);
        _writer.WriteEndElement();
    }

    private void WriteSyntax()
    {
        Start("command", "syntax");
        foreach (var set in _cmdlet.Syntax)
        {
            Start("command", "syntaxItem");
            Element("maml", "name", _cmdlet.Name);
            foreach (var parameter in _cmdlet.ParametersInSet(set.Name))
            {
                var parameterWriter = new MamlParameterWriter(_writer, parameter, parameter.MetadataFor(set.Name)!);
                parameterWriter.Write(inSyntax: true);
            }

            _writer.WriteEndElement();
        }

        _writer.WriteEndElement();
    }

    private void WriteParameters()
    {
        Start("command", "parameters");
        foreach (var parameter in _cmdlet.Parameters)
        {
            new MamlParameterWriter(_writer, parameter, parameter.PrimaryMetadata).Write(inSyntax: false);
        }

        _writer.WriteEndElement();
    }

    private void WriteTypes(string listName, string itemName, IReadOnlyList<TypeHelp> types)
    {
        if (types.Count == 0)
        {
            return;
        }

        Start("command", listName);
        foreach (var type in types)
        {
            Start("command", itemName);
            Start("dev", "type");
            Element("maml", "name", type.TypeName);
            _writer.WriteEndElement();
            WriteParagraphs("maml", "description", MamlNamespaces.Maml, type.Description);
            _writer.WriteEndElement();
        }

        _writer.WriteEndElement();
    }

    private void WriteNotes()
    {
        if (_cmdlet.Notes.Count == 0)
        {
            return;
        }

        Start("maml", "alertSet");
        WriteParagraphs("maml", "alert", MamlNamespaces.Maml, _cmdlet.Notes);
        _writer.WriteEndElement();
    }

    private void WriteExamples()
    {
        Start("command", "examples");
        foreach (var example in _cmdlet.Examples)
        {
            Start("command", "example");
            Element("maml", "title", $"{ExampleTitleRule} {example.Title} {ExampleTitleRule}");
            if (example.Introduction.Count > 0)
            {
                WriteParagraphs("maml", "introduction", MamlNamespaces.Maml, example.Introduction);
            }

            Element("dev", "code", example.Code);
            WriteParagraphs("dev", "remarks", MamlNamespaces.Dev, example.Remarks);
            _writer.WriteEndElement();
        }

        _writer.WriteEndElement();
    }

    private void WriteRelatedLinks()
    {
        if (_cmdlet.RelatedLinks.Count == 0)
        {
            return;
        }

        Start("command", "relatedLinks");
        foreach (var link in _cmdlet.RelatedLinks)
        {
            Start("maml", "navigationLink");
            Element("maml", "linkText", link.Text);
            Element("maml", "uri", link.Uri);
            _writer.WriteEndElement();
        }

        _writer.WriteEndElement();
    }

    private void WriteParagraphs(string prefix, string localName, string ns, IReadOnlyList<string> paragraphs)
    {
        _writer.WriteStartElement(prefix, localName, ns);
        foreach (var paragraph in paragraphs)
        {
            Element("maml", "para", paragraph);
        }

        _writer.WriteEndElement();
    }

    private void Start(string prefix, string localName) =>
        _writer.WriteStartElement(prefix, localName, MamlNamespaceOf(prefix));

    private void Element(string prefix, string localName, string text) =>
        MamlCommandWriter.WriteTextElement(_writer, prefix, localName, text);

    /// <summary>Writes &lt;prefix:name&gt;text&lt;/prefix:name&gt;, or &lt;prefix:name /&gt; when text is empty.</summary>
    internal static void WriteTextElement(XmlWriter writer, string prefix, string localName, string text)
    {
        writer.WriteStartElement(prefix, localName, MamlNamespaceOf(prefix));
        if (text.Length > 0)
        {
            writer.WriteString(text);
        }

        writer.WriteEndElement();
    }

    internal static string MamlNamespaceOf(string prefix) => prefix switch
    {
        "maml" => MamlNamespaces.Maml,
        "command" => MamlNamespaces.Command,
        "dev" => MamlNamespaces.Dev,
        _ => throw new ArgumentOutOfRangeException(nameof(prefix), prefix, "not a MAML prefix"),
    };
}
