using System.Text.RegularExpressions;

namespace KvmPS.HelpCompiler;

/// <summary>Builds a <see cref="CmdletHelp"/> from the outline of one platyPS file and checks it is complete.</summary>
internal sealed partial class CmdletFileParser
{
    private readonly string _sourceName;
    private readonly MarkdownOutline _outline;
    private readonly Dictionary<string, MarkdownSection> _sections = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _syntaxLineNumbers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _parameterLineNumbers = new(StringComparer.OrdinalIgnoreCase);

    private CmdletFileParser(string sourceName, MarkdownOutline outline)
    {
        _sourceName = sourceName;
        _outline = outline;
    }

    /// <param name="expectedName">When given, the title must equal it (the file name of the Markdown).</param>
    public static CmdletHelp Parse(string markdown, string sourceName, string? sourcePath, string? expectedName)
    {
        var outline = MarkdownOutline.Read(markdown, sourceName);
        return new CmdletFileParser(sourceName, outline).Build(sourcePath, expectedName);
    }

    private CmdletHelp Build(string? sourcePath, string? expectedName)
    {
        CheckTitle(expectedName);
        CheckFrontMatter();
        IndexSections();
        RejectPlaceholders();

        var syntax = ReadSyntax(_sections[PlatyPsSectionNames.Syntax]);
        var (parameters, supportsCommonParameters) = ReadParameters(_sections[PlatyPsSectionNames.Parameters]);
        var help = new CmdletHelp
        {
            Name = _outline.Title,
            FrontMatter = _outline.FrontMatter,
            Synopsis = ReadText(PlatyPsSectionNames.Synopsis, required: true),
            Syntax = syntax,
            Description = ReadText(PlatyPsSectionNames.Description, required: true),
            Examples = ReadExamples(_sections[PlatyPsSectionNames.Examples]),
            Parameters = parameters,
            SupportsCommonParameters = supportsCommonParameters,
            Inputs = ReadTypes(PlatyPsSectionNames.Inputs),
            Outputs = ReadTypes(PlatyPsSectionNames.Outputs),
            Notes = ReadText(PlatyPsSectionNames.Notes, required: false),
            RelatedLinks = ReadRelatedLinks(),
            SourcePath = sourcePath,
        };

        CheckParametersAgainstSyntax(help);
        return help;
    }

    private HelpFormatException Error(int lineNumber, string problem) => new(_sourceName, lineNumber, problem);

    private void CheckTitle(string? expectedName)
    {
        if (!CmdletName().IsMatch(_outline.Title))
        {
            throw Error(_outline.TitleLineNumber, $"title '# {_outline.Title}' is not a Verb-Noun cmdlet name");
        }

        if (expectedName is not null && !string.Equals(expectedName, _outline.Title, StringComparison.OrdinalIgnoreCase))
        {
            throw Error(_outline.TitleLineNumber, $"file describes {_outline.Title} but is named {expectedName}.md");
        }
    }

    private void CheckFrontMatter()
    {
        if (_outline.FrontMatter.TryGetValue("schema", out var schema) && schema != "2.0.0")
        {
            throw Error(_outline.FrontMatterLineNumbers["schema"], $"schema '{schema}' is not supported; expected 2.0.0");
        }
    }

    private void IndexSections()
    {
        foreach (var section in _outline.Sections)
        {
            if (!PlatyPsSectionNames.All.Contains(section.Title, StringComparer.OrdinalIgnoreCase))
            {
                throw Error(section.LineNumber,
                    $"unknown section '## {section.Title}'; expected one of {string.Join(", ", PlatyPsSectionNames.All)}");
            }

            if (!_sections.TryAdd(section.Title, section))
            {
                throw Error(section.LineNumber, $"section '## {section.Title}' appears twice");
            }
        }

        var missing = PlatyPsSectionNames.Mandatory.FirstOrDefault(name => !_sections.ContainsKey(name));
        if (missing is not null)
        {
            throw Error(_outline.TitleLineNumber, $"{_outline.Title} has no '## {missing}' section");
        }
    }

    private void RejectPlaceholders()
    {
        var sections = _outline.Sections.Concat(_outline.Sections.SelectMany(s => s.Subsections));
        foreach (var line in sections.SelectMany(s => s.Body))
        {
            if (PlatyPsPlaceholder().IsMatch(line.Text))
            {
                throw Error(line.Number, $"platyPS placeholder left in: '{line.Text.Trim()}'");
            }
        }
    }

    private List<string> ReadText(string sectionName, bool required)
    {
        if (!_sections.TryGetValue(sectionName, out var section))
        {
            return [];
        }

        var paragraphs = Paragraphs.From(MarkdownBlock.Split(section.Body));
        foreach (var subsection in section.Subsections)
        {
            paragraphs.Add(subsection.Title);
            paragraphs.AddRange(Paragraphs.From(MarkdownBlock.Split(subsection.Body)));
        }

        if (required && paragraphs.Count == 0)
        {
            throw Error(section.LineNumber, $"section '## {section.Title}' is empty");
        }

        return paragraphs;
    }

    private List<ParameterSetSyntax> ReadSyntax(MarkdownSection section)
    {
        var sets = new List<ParameterSetSyntax>();
        var bodyBlocks = MarkdownBlock.Split(section.Body);
        if (bodyBlocks.Count > 0)
        {
            if (section.Subsections.Count > 0 || bodyBlocks.Count > 1 || !bodyBlocks[0].IsCode)
            {
                throw Error(bodyBlocks[0].LineNumber,
                    "'## SYNTAX' holds either one code block or '### SetName' entries each with one code block");
            }

            sets.Add(new ParameterSetSyntax
            {
                Name = ParameterSetSyntax.AllParameterSetsName,
                IsDefault = true,
                SyntaxLine = SyntaxLineFrom(bodyBlocks[0]),
            });
            _syntaxLineNumbers[ParameterSetSyntax.AllParameterSetsName] = bodyBlocks[0].LineNumber;
        }

        foreach (var subsection in section.Subsections)
        {
            var heading = SyntaxHeading().Match(subsection.Title);
            if (!heading.Success)
            {
                throw Error(subsection.LineNumber, $"'### {subsection.Title}' is not '### SetName' or '### SetName (Default)'");
            }

            var name = heading.Groups["name"].Value;
            var blocks = MarkdownBlock.Split(subsection.Body);
            if (blocks.Count != 1 || !blocks[0].IsCode)
            {
                throw Error(subsection.LineNumber, $"parameter set '{name}' needs exactly one code block holding its syntax line");
            }

            if (!_syntaxLineNumbers.TryAdd(name, subsection.LineNumber))
            {
                throw Error(subsection.LineNumber, $"parameter set '{name}' appears twice in '## SYNTAX'");
            }

            sets.Add(new ParameterSetSyntax
            {
                Name = name,
                IsDefault = heading.Groups["default"].Success || section.Subsections.Count == 1,
                SyntaxLine = SyntaxLineFrom(blocks[0]),
            });
        }

        if (sets.Count == 0)
        {
            throw Error(section.LineNumber, "'## SYNTAX' lists no parameter set");
        }

        if (sets.Count(s => s.IsDefault) > 1)
        {
            throw Error(section.LineNumber, "more than one parameter set is marked '(Default)'");
        }

        return sets;
    }

    private string SyntaxLineFrom(MarkdownBlock block)
    {
        var line = string.Join(" ", block.Lines.Select(l => l.Trim()).Where(l => l.Length > 0));
        if (!line.StartsWith(_outline.Title, StringComparison.OrdinalIgnoreCase))
        {
            throw Error(block.LineNumber + 1, $"syntax line does not start with the cmdlet name {_outline.Title}");
        }

        return line;
    }

    private List<ExampleHelp> ReadExamples(MarkdownSection section)
    {
        RejectLooseText(section, "### Example N: title");
        if (section.Subsections.Count == 0)
        {
            throw Error(section.LineNumber, "'## EXAMPLES' has no '### Example' entry");
        }

        var examples = new List<ExampleHelp>();
        foreach (var subsection in section.Subsections)
        {
            var blocks = MarkdownBlock.Split(subsection.Body);
            var firstCode = blocks.FindIndex(b => b.IsCode);
            if (firstCode < 0)
            {
                throw Error(subsection.LineNumber, $"example '{subsection.Title}' has no code block");
            }

            var code = blocks.Where(b => b.IsCode).Select(b => b.JoinedLines.Trim('\n'));
            examples.Add(new ExampleHelp
            {
                Title = subsection.Title,
                Introduction = Paragraphs.From(blocks.Take(firstCode)),
                Code = string.Join("\n\n", code),
                Remarks = Paragraphs.From(blocks.Skip(firstCode + 1).Where(b => !b.IsCode)),
            });
        }

        return examples;
    }

    private (List<ParameterHelp> Parameters, bool SupportsCommonParameters) ReadParameters(MarkdownSection section)
    {
        RejectLooseText(section, "### -Name");
        var parameters = new List<ParameterHelp>();
        var supportsCommonParameters = false;
        foreach (var subsection in section.Subsections)
        {
            var title = subsection.Title.Trim('<', '>');
            if (title == PlatyPsSectionNames.CommonParameters)
            {
                supportsCommonParameters = true;
                continue;
            }

            if (title == PlatyPsSectionNames.WorkflowCommonParameters)
            {
                continue;
            }

            var name = ParameterHeading().Match(subsection.Title);
            if (!name.Success)
            {
                throw Error(subsection.LineNumber,
                    $"'### {subsection.Title}' is neither '### -ParameterName' nor '### CommonParameters'");
            }

            var parameter = ReadParameter(name.Groups["name"].Value, subsection);
            if (!_parameterLineNumbers.TryAdd(parameter.Name, subsection.LineNumber))
            {
                throw Error(subsection.LineNumber, $"parameter -{parameter.Name} is described twice");
            }

            parameters.Add(parameter);
        }

        return (parameters, supportsCommonParameters);
    }

    private ParameterHelp ReadParameter(string name, MarkdownSection subsection)
    {
        var blocks = MarkdownBlock.Split(subsection.Body);
        bool IsYaml(MarkdownBlock block) => block.IsCode && block.Info.Equals("yaml", StringComparison.OrdinalIgnoreCase);

        var description = Paragraphs.From(blocks.Where(b => !IsYaml(b)));
        if (description.Count == 0)
        {
            throw Error(subsection.LineNumber, $"parameter -{name} has no description");
        }

        var metadata = blocks.Where(IsYaml).Select(b => ParameterYamlReader.Read(b, name, _sourceName)).ToList();
        if (metadata.Count == 0)
        {
            throw Error(subsection.LineNumber, $"parameter -{name} has no ```yaml block");
        }

        return new ParameterHelp { Name = name, Description = description, Metadata = metadata };
    }

    private List<TypeHelp> ReadTypes(string sectionName)
    {
        if (!_sections.TryGetValue(sectionName, out var section))
        {
            return [];
        }

        RejectLooseText(section, "### TypeName");
        return section.Subsections
            .Select(s => new TypeHelp
            {
                TypeName = s.Title,
                Description = Paragraphs.From(MarkdownBlock.Split(s.Body)),
            })
            .ToList();
    }

    private List<RelatedLink> ReadRelatedLinks()
    {
        if (!_sections.TryGetValue(PlatyPsSectionNames.RelatedLinks, out var section))
        {
            return [];
        }

        if (section.Subsections.Count > 0)
        {
            throw Error(section.Subsections[0].LineNumber, "'## RELATED LINKS' holds only '[text](uri)' lines");
        }

        var links = new List<RelatedLink>();
        foreach (var line in section.Body.Where(l => !l.IsBlank))
        {
            var link = LinkLine().Match(line.Text);
            if (!link.Success)
            {
                throw Error(line.Number, $"'{line.Text.Trim()}' is not a '[text](uri)' link line");
            }

            links.Add(new RelatedLink { Text = link.Groups["text"].Value.Trim(), Uri = link.Groups["uri"].Value.Trim() });
        }

        return links;
    }

    private void RejectLooseText(MarkdownSection section, string expectedEntry)
    {
        var loose = section.Body.Where(l => !l.IsBlank).Select(l => (SourceLine?)l).FirstOrDefault();
        if (loose is not null)
        {
            throw Error(loose.Value.Number, $"text under '## {section.Title}' must sit inside '{expectedEntry}' entries");
        }
    }

    /// <summary>Every set a parameter names must exist, and every syntax line must show exactly its set's parameters.</summary>
    private void CheckParametersAgainstSyntax(CmdletHelp help)
    {
        foreach (var parameter in help.Parameters)
        {
            var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var metadata in parameter.Metadata)
            {
                foreach (var set in metadata.ParameterSets)
                {
                    if (!_syntaxLineNumbers.ContainsKey(set))
                    {
                        throw Error(metadata.LineNumber,
                            $"-{parameter.Name} names parameter set '{set}', which '## SYNTAX' does not list");
                    }

                    if (!covered.Add(set))
                    {
                        throw Error(metadata.LineNumber, $"-{parameter.Name} has two yaml blocks for parameter set '{set}'");
                    }
                }
            }

            if (parameter.Metadata.Count(m => m.AppliesToAllSets) > 1)
            {
                throw Error(parameter.Metadata[1].LineNumber, $"-{parameter.Name} has two yaml blocks for '(All)'");
            }
        }

        foreach (var syntax in help.Syntax)
        {
            var syntaxLineNumber = _syntaxLineNumbers[syntax.Name];
            var shown = syntax.ParameterNamesInSyntaxLine;
            foreach (var name in shown)
            {
                var parameter = help.FindParameter(name)
                    ?? throw Error(syntaxLineNumber, $"syntax of '{syntax.Name}' shows -{name}, which '## PARAMETERS' does not describe");
                if (parameter.MetadataFor(syntax.Name) is null)
                {
                    throw Error(_parameterLineNumbers[parameter.Name],
                        $"syntax of '{syntax.Name}' shows -{name}, but its yaml does not list that parameter set");
                }
            }

            foreach (var parameter in help.Parameters.Where(p => p.MetadataFor(syntax.Name) is not null))
            {
                if (!shown.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                {
                    throw Error(syntaxLineNumber, $"syntax of '{syntax.Name}' does not show -{parameter.Name}");
                }
            }

            if (syntax.MentionsCommonParameters != help.SupportsCommonParameters)
            {
                throw Error(syntaxLineNumber, help.SupportsCommonParameters
                    ? $"syntax of '{syntax.Name}' lacks [<CommonParameters>] although '### CommonParameters' is present"
                    : $"syntax of '{syntax.Name}' shows [<CommonParameters>] but '## PARAMETERS' has no '### CommonParameters'");
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex CmdletName();

    [GeneratedRegex(@"^(?<name>\S+)(\s+(?<default>\(Default\)))?$", RegexOptions.IgnoreCase)]
    private static partial Regex SyntaxHeading();

    [GeneratedRegex(@"^-(?<name>[A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex ParameterHeading();

    [GeneratedRegex(@"^\s*(?:[-*]\s+)?\[(?<text>[^\]]*)\]\((?<uri>[^)\s]*)\)\s*$")]
    private static partial Regex LinkLine();

    [GeneratedRegex(@"\{\{\s*(Fill|Add)\b")]
    private static partial Regex PlatyPsPlaceholder();
}
