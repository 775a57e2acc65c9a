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

    /// <summary>Open descriptors of this process, from /proc/self/fd.</summary>
    public static int OpenDescriptorCount() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    /// <summary>What each open descriptor of this process refers to (the /proc/self/fd link targets).</summary>
    public static IReadOnlyList<string> OpenDescriptorTargets() => Directory.GetFileSystemEntries("/proc/self/fd")
        .Select(fd => { try { return new FileInfo(fd).LinkTarget ?? "?"; } catch (IOException) { return "?"; } })
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The descriptors KvmPS itself opens: /dev/kvm and the kernel's kvm-vm, kvm-vcpu and device inodes.</summary>
    public static IReadOnlyList<string> KvmDescriptorTargets() =>
        OpenDescriptorTargets().Where(t => t.Contains("kvm", StringComparison.Ordinal)).ToArray();

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
