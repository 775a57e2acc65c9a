using KvmPS.Interop;

namespace KvmPS.Abi.Tests;

/// <summary>
/// The C compiler and kernel UAPI headers of one architecture, as Debian ships them: the host's gcc and
/// linux-libc-dev for the host architecture, a <c>&lt;triplet&gt;-gcc</c> cross compiler whose default sysroot
/// holds the linux-libc-dev-*-cross headers for the others. The probes are only compiled, never run.
/// </summary>
public sealed class ProbeToolchain
{
    private static readonly Dictionary<CpuArchitecture, ProbeToolchain> s_cache = [];

    private ProbeToolchain(CpuArchitecture arch, string? compiler, string? problem)
    {
        Architecture = arch;
        Compiler = compiler;
        Problem = problem;
    }

    public CpuArchitecture Architecture { get; }

    /// <summary>The gcc driver to use, or null when <see cref="Problem"/> says why there is none.</summary>
    public string? Compiler { get; }

    public string? Problem { get; }

    public bool IsAvailable => Problem is null;

    /// <summary>CI must install the toolchains, so there a missing one fails the test instead of skipping it.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Triplet(CpuArchitecture arch) => arch switch
    {
        CpuArchitecture.X86_64 => "x86_64-linux-gnu",
        CpuArchitecture.Aarch64 => "aarch64-linux-gnu",
        CpuArchitecture.PowerPC64LE => "powerpc64le-linux-gnu",
        CpuArchitecture.S390x => "s390x-linux-gnu",
        _ => throw new ArgumentOutOfRangeException(nameof(arch)),
    };

    /// <summary>The Debian packages that provide the compiler and headers for <paramref name="arch"/>.</summary>
    public static IReadOnlyList<string> DebianPackages(CpuArchitecture arch) =>
        arch == CpuArchitectures.Host
            ? ["gcc", "linux-libc-dev"]
            : arch switch
            {
                CpuArchitecture.X86_64 => ["gcc-x86-64-linux-gnu", "linux-libc-dev-amd64-cross"],
                CpuArchitecture.Aarch64 => ["gcc-aarch64-linux-gnu", "linux-libc-dev-arm64-cross"],
                CpuArchitecture.PowerPC64LE => ["gcc-powerpc64le-linux-gnu", "linux-libc-dev-ppc64el-cross"],
                CpuArchitecture.S390x => ["gcc-s390x-linux-gnu", "linux-libc-dev-s390x-cross"],
                _ => throw new ArgumentOutOfRangeException(nameof(arch)),
            };

    public static ProbeToolchain For(CpuArchitecture arch)
    {
        lock (s_cache)
        {
            if (!s_cache.TryGetValue(arch, out ProbeToolchain? toolchain))
            {
                toolchain = Discover(arch);
                s_cache[arch] = toolchain;
            }
            return toolchain;
        }
    }

    /// <summary>The compiler, or an exception naming the packages to install.</summary>
    public string RequireCompiler() => Compiler is not null && Problem is null
        ? Compiler
        : throw new InvalidOperationException(Problem);

    private static ProbeToolchain Discover(CpuArchitecture arch)
    {
        string triplet = Triplet(arch);
        string install = $"install the Debian packages {string.Join(" ", DebianPackages(arch))}";
        var candidates = new List<string> { $"{triplet}-gcc" };
        if (arch == CpuArchitectures.Host)
        {
            candidates.Add("gcc");
        }
        foreach (string candidate in candidates)
        {
            if (FindOnPath(candidate) is not string compiler)
            {
                continue;
            }
            (int exit, string machine, _) = ProcessRunner.Run(compiler, ["-dumpmachine"], stdin: null);
            if (exit != 0 || !machine.Trim().StartsWith(triplet.Split('-')[0], StringComparison.Ordinal))
            {
                continue;
            }
            (int headerExit, _, string headerErrors) = ProcessRunner.Run(compiler,
                ["-E", "-x", "c", "-o", "/dev/null", "-"], stdin: "#include <linux/kvm.h>\n#include <linux/vfio.h>\n");
            return headerExit == 0
                ? new ProbeToolchain(arch, compiler, null)
                : new ProbeToolchain(arch, compiler,
                    $"{compiler} cannot find the {arch.UnameName()} kernel headers ({FirstLine(headerErrors)}); {install}.");
        }
        return new ProbeToolchain(arch, null,
            $"No C compiler for {arch.UnameName()} ({string.Join(" or ", candidates)}) on PATH; {install}.");
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";

    private static string? FindOnPath(string program)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string path = Path.Combine(directory, program);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }
}
