using System.Text;
using System.Xml;

namespace KvmPS.HelpCompiler;

/// <summary>
/// Writes MAML help XML (the *.dll-Help.xml that Get-Help reads for binary modules).
/// The output depends only on the input: cmdlets sorted by name, "\n" line endings, UTF-8 without BOM.
/// </summary>
public static class MamlWriter
{
    private static readonly UTF8Encoding Utf8WithoutBom = new(encoderShouldEmitUTF8Identifier: false);

    public static byte[] ToBytes(IEnumerable<CmdletHelp> cmdlets)
    {
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings
        {
            Encoding = Utf8WithoutBom,
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
            CloseOutput = false,
        };

        using (var writer = XmlWriter.Create(stream, settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("helpItems", MamlNamespaces.HelpItems);
            writer.WriteAttributeString("schema", "maml");
            foreach (var cmdlet in cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                new MamlCommandWriter(writer, cmdlet).Write();
            }

            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    public static string ToXml(IEnumerable<CmdletHelp> cmdlets) => Utf8WithoutBom.GetString(ToBytes(cmdlets));

    /// <summary>Writes the MAML file, creating its folder if needed.</summary>
    public static void WriteFile(IEnumerable<CmdletHelp> cmdlets, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllBytes(path, ToBytes(cmdlets));
    }
}
