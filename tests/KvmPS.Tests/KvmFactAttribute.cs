using KvmPS.Interop;

namespace KvmPS.Tests;

/// <summary>A test that drives the real /dev/kvm; skipped, with the reason shown, where the device is not usable.</summary>
public sealed class KvmFactAttribute : FactAttribute
{
    public KvmFactAttribute()
    {
        if (RealKvm.Unavailable is string reason)
        {
            Skip = reason;
        }
    }
}

public static class RealKvm
{
    private static readonly Lazy<string?> s_unavailable = new(() =>
    {
        if (!File.Exists("/dev/kvm"))
        {
            return "needs /dev/kvm, which this machine does not have";
        }
        if (CpuArchitectures.Host is null)
        {
            return "needs a host architecture KvmPS supports";
        }
        int fd = LibcSyscalls.Instance.Open("/dev/kvm", LinuxConstants.O_RDWR);
        if (fd < 0)
        {
            return $"needs read-write access to /dev/kvm ({Errno.NameOf(-fd)}): run as root or join group kvm";
        }
        LibcSyscalls.Instance.Close(fd);
        return null;
    });

    public static string? Unavailable => s_unavailable.Value;

    public static bool IsX86 => CpuArchitectures.Host == CpuArchitecture.X86_64;

    /// <summary>What this process has open now: every descriptor, and those of KVM among them.</summary>
    public static DescriptorSnapshot Descriptors() => new(OpenDescriptorTargets());

    /// <summary>
    /// Every KVM descriptor open at <paramref name="before"/> is open again, and no other: the module's own descriptors
    /// are compared exactly. The runtime opens a few of its own as it goes (pipes, a library it loads late, the test
    /// logger); up to <see cref="RuntimeDescriptorSlack"/> more are allowed and listed, so a leak still reads plainly.
    /// </summary>
    public static string AssertNoDescriptorLeak(DescriptorSnapshot before)
    {
        DescriptorSnapshot after = Descriptors();
        Assert.Equal(before.Kvm, after.Kvm);
        string[] added = after.All.Except(before.All).ToArray();
        string report = $"descriptors: {before.All.Count} before, {after.All.Count} after{(added.Length > 0 ? "; new: " + string.Join(", ", added) : "")}";
        Assert.True(after.All.Count <= before.All.Count + RuntimeDescriptorSlack, report);
        return report;
    }

    public const int RuntimeDescriptorSlack = 4;

    /// <summary>What each open descriptor of this process refers to (the /proc/self/fd link targets).</summary>
    public static IReadOnlyList<string> OpenDescriptorTargets() => Directory.GetFileSystemEntries("/proc/self/fd")
        .Select(fd => { try { return new FileInfo(fd).LinkTarget ?? "?"; } catch (IOException) { return "?"; } })
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Open descriptors by target; <see cref="Kvm"/> are those KvmPS opens (/dev/kvm, kvm-vm, kvm-vcpu, device and stats inodes).</summary>
    public sealed record DescriptorSnapshot(IReadOnlyList<string> All)
    {
        public IReadOnlyList<string> Kvm { get; } = All.Where(t => t.Contains("kvm", StringComparison.Ordinal)).ToArray();
    }

    /// <summary>Mappings of this process, from /proc/self/maps.</summary>
    public static int MappingCount() => File.ReadAllLines("/proc/self/maps").Length;
}

/// <summary>A test that needs the real /dev/kvm on an x86_64 host (it runs x86 guest code).</summary>
public sealed class KvmX86FactAttribute : FactAttribute
{
    public KvmX86FactAttribute()
    {
        if (RealKvm.Unavailable is string reason)
        {
            Skip = reason;
        }
        else if (!RealKvm.IsX86)
        {
            Skip = "runs x86 real-mode guest code; this host is not x86_64";
        }
    }
}
