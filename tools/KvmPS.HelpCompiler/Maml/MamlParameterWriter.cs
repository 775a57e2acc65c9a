using System.Xml;

namespace KvmPS.HelpCompiler;

/// <summary>Writes one &lt;command:parameter&gt; element, either inside a syntax item or in the parameter list.</summary>
internal sealed class MamlParameterWriter
{
    private readonly XmlWriter _writer;
    private readonly ParameterHelp _parameter;
    private readonly ParameterSetMetadata _metadata;

    public MamlParameterWriter(XmlWriter writer, ParameterHelp parameter, ParameterSetMetadata metadata)
    {
        _writer = writer;
        _parameter = parameter;
        _metadata = metadata;
    }

    /// <param name="inSyntax">Syntax items leave out the value of switch parameters, so Get-Help shows "[-Force]".</param>
    public void Write(bool inSyntax)
    {
        var isSwitch = ParameterSetMetadata.IsSwitchType(_metadata.Type);
        _writer.WriteStartElement("command", "parameter", MamlNamespaces.Command);
        _writer.WriteAttributeString("required", Lower(_metadata.Required));
        _writer.WriteAttributeString("variableLength", Lower(IsArray(_metadata.Type)));
        _writer.WriteAttributeString("globbing", Lower(_metadata.AcceptsWildcards));
        _writer.WriteAttributeString("pipelineInput", _metadata.PipelineInput);
        _writer.WriteAttributeString("position", _metadata.IsNamed ? "named" : _metadata.Position);
        _writer.WriteAttributeString("aliases", _metadata.Aliases.Count == 0 ? "none" : string.Join(", ", _metadata.Aliases));

        Element("maml", "name", _parameter.Name);
        _writer.WriteStartElement("maml", "description", MamlNamespaces.Maml);
        foreach (var paragraph in _parameter.Description)
        {
            Element("maml", "para", paragraph);
        }

        _writer.WriteEndElement();

        if (_metadata.AcceptedValues.Count > 0)
        {
            _writer.WriteStartElement("command", "parameterValueGroup", MamlNamespaces.Command);
            foreach (var value in _metadata.AcceptedValues)
            {
                WriteParameterValue(value, required: false);
            }

            _writer.WriteEndElement();
        }

        if (!(inSyntax && isSwitch))
        {
            WriteParameterValue(_metadata.Type, required: !isSwitch);
        }

        _writer.WriteStartElement("dev", "type", MamlNamespaces.Dev);
        Element("maml", "name", _metadata.Type);
        Element("maml", "uri", string.Empty);
        _writer.WriteEndElement();
        Element("dev", "defaultValue", _metadata.DefaultValue);

        _writer.WriteEndElement();
    }

    private void WriteParameterValue(string text, bool required)
    {
        _writer.WriteStartElement("command", "parameterValue", MamlNamespaces.Command);
        _writer.WriteAttributeString("required", Lower(required));
        _writer.WriteAttributeString("variableLength", "false");
        _writer.WriteString(text);
        _writer.WriteEndElement();
    }

    private void Element(string prefix, string localName, string text) =>
        MamlCommandWriter.WriteTextElement(_writer, prefix, localName, text);

    private static bool IsArray(string typeName) => typeName.EndsWith("[]", StringComparison.Ordinal);

    private static string Lower(bool value) => value ? "true" : "false";
}
