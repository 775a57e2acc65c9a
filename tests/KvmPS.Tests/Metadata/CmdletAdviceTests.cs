using System.Reflection;
using System.Text.RegularExpressions;
using KvmPS.Commands;
using KvmPS.Interop;
using KvmPS.Interop.Abi;

namespace KvmPS.Tests.Metadata;

/// <summary>
/// Cmdlet names live in the Commands layer: the object model's messages speak of VMs, vCPUs and ioctls, and
/// CmdletAdvice adds the cmdlet that helps, by ErrorId.
/// </summary>
public sealed partial class CmdletAdviceTests
{
    [Fact]
    public void IoctlErrorIdsNameARealIoctlAndErrno()
    {
        var table = (Dictionary<string, string>)typeof(CmdletAdvice)
            .GetField("s_byErrorId", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        string[] errnoNames = Errno.All.Select(Errno.NameOf).ToArray();
        foreach (string id in table.Keys.Where(k => k.Contains('.')))
        {
            string ioctl = id[..id.LastIndexOf('.')], errno = id[(id.LastIndexOf('.') + 1)..];
            Assert.True(AbiCatalog.FindIoctl(ioctl) is not null, $"{id}: no ioctl {ioctl}");
            Assert.Contains(errno, errnoNames);
        }
    }

    [Fact]
    public void MissingCapabilitiesPointAtGetKvmCapability() =>
        Assert.Equal("Run it on a host whose KVM reports KVM_CAP_XSAVE (Get-KvmCapability -Name KVM_CAP_XSAVE).", CmdletAdvice.For("KVM_CAP_XSAVE.NotSupported"));

    [Fact]
    public void OnlyTheCommandsLayerNamesCmdletsInItsMessages()
    {
        string src = Repository.PathOf("src/KvmPS");
        var offenders = new List<string>();
        foreach (string file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(src, file);
            if (relative.StartsWith("Commands", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal) ||
                relative.StartsWith("bin", StringComparison.Ordinal))
            {
                continue;
            }
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (!lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal) && CmdletInStringLiteral().IsMatch(lines[i]))
                {
                    offenders.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }
        Assert.Empty(offenders);
    }

    [GeneratedRegex("\"[^\"]*\\b[A-Z][a-z]+-(Kvm|Vfio)[A-Z][A-Za-z]*")]
    private static partial Regex CmdletInStringLiteral();
}
