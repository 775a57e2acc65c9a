using KvmPS.Commands.Inventory;
using KvmPS.Interop.Abi;
using KvmPS.Kvm.Inventory;

namespace KvmPS.Tests.Metadata;

/// <summary>
/// docs/ioctls.md, Get-KvmIoctl and the code agree: every ioctl of api.txt section 4 and every declared one has a
/// row with the right section, descriptor type and cmdlets (or a reason there is none), and the test a row names
/// exists and uses that cmdlet or ioctl. Regenerate the table with tools/Update-IoctlTable.ps1.
/// </summary>
public sealed class IoctlTableTests(ModuleMetadata module) : IClassFixture<ModuleMetadata>
{
    private readonly ModuleMetadata _module = module;

    private sealed record Row(string Section, string Name, string Type, string Cmdlet, string Test);

    private static IReadOnlyList<Row> Table() => File.ReadAllLines(Repository.PathOf("docs/ioctls.md"))
        .Where(line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| Section", StringComparison.Ordinal) &&
            !line.StartsWith("| ---", StringComparison.Ordinal))
        .Select(line => line.Trim('|').Split(" | ").Select(cell => cell.Trim()).ToArray())
        .Select(cells => new Row(cells[0], cells[1], cells[2], cells[3], cells[4]))
        .ToArray();

    [Fact]
    public void TheTableHasOneRowPerIoctlWithTheCodesSectionTypeAndCmdlets()
    {
        IReadOnlyList<KvmIoctlInfo> inventory = KvmIoctlInventory.Describe(system: null);
        var rows = Table().ToDictionary(r => r.Name, StringComparer.Ordinal);
        Assert.Equal(inventory.Select(i => i.Name).Order(), rows.Keys.Order());
        foreach (KvmIoctlInfo ioctl in inventory)
        {
            Row row = rows[ioctl.Name];
            Assert.Equal(ioctl.Section, row.Section);
            Assert.Equal(ioctl.Type, row.Type);
            string cmdlets = IoctlCmdlets.For(ioctl.Name);
            if (cmdlets.Length > 0)
            {
                Assert.Equal(cmdlets, row.Cmdlet);
            }
            else
            {
                Assert.StartsWith("none: ", row.Cmdlet);
                Assert.True(!ioctl.Removed || row.Cmdlet.Contains(ioctl.ReplacedBy!, StringComparison.Ordinal), $"{ioctl.Name}: {row.Cmdlet}");
            }
        }
    }

    [Fact]
    public void EveryNamedTestExistsAndUsesTheCmdletOrTheIoctl()
    {
        foreach (Row row in Table())
        {
            if (!row.Cmdlet.StartsWith("none:", StringComparison.Ordinal))
            {
                Assert.True(row.Test != "-", $"{row.Name} is issued by {row.Cmdlet} but the table names no test");
            }
            if (row.Test == "-")
            {
                continue;
            }
            string path = Repository.PathOf(row.Test);
            Assert.True(File.Exists(path), $"{row.Name}: {row.Test} does not exist");
            string text = File.ReadAllText(path);
            string[] names = [row.Name, .. row.Cmdlet.StartsWith("none:", StringComparison.Ordinal) ? [] : row.Cmdlet.Split(", ")];
            Assert.True(names.Any(n => text.Contains(n, StringComparison.Ordinal)), $"{row.Test} mentions none of {string.Join(", ", names)}");
        }
    }

    [Fact]
    public void EveryCmdletOfTheMapIsExportedAndEveryIoctlDeclared()
    {
        var exported = _module.Cmdlets.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach ((string ioctl, string[] cmdlets) in IoctlCmdlets.All)
        {
            Assert.True(AbiCatalog.FindIoctl(ioctl) is not null, $"{ioctl} is not declared");
            Assert.All(cmdlets, cmdlet => Assert.Contains(cmdlet, exported));
        }
    }

    [Fact]
    public void ADeclaredIoctlOfSectionFourIsOwnedByTheDescriptorTypesApiTxtNames()
    {
        foreach (ApiSectionEntry entry in ApiSections.All.Where(e => !e.IsRemoved))
        {
            if (AbiCatalog.FindIoctl(entry.Name) is { } ioctl)
            {
                string declared = KvmIoctlInventory.TypeOf(ioctl.DescriptorKind);
                Assert.True(entry.Type.Split(", ").ToHashSet().SetEquals(declared.Split(", ")),
                    $"{entry.Name}: api.txt {entry.Section} says {entry.Type}, KvmPS declares it on {declared}");
            }
        }
    }
}
