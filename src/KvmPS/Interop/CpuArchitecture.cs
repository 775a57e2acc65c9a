using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using System.Runtime.InteropServices;

namespace KvmPS.Interop;

/// <summary>The host architectures KvmPS knows the kernel ABI of. Names follow `uname -m`.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum CpuArchitecture
{
    X86_64,
    Aarch64,
    PowerPC64LE,
    S390x,
}

internal static class CpuArchitectures
{
    public static IReadOnlyList<CpuArchitecture> All { get; } =
        [CpuArchitecture.X86_64, CpuArchitecture.Aarch64, CpuArchitecture.PowerPC64LE, CpuArchitecture.S390x];

    /// <summary>The architecture this process runs on, or null where KvmPS has no ABI for it.</summary>
    public static CpuArchitecture? Host => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => CpuArchitecture.X86_64,
        Architecture.Arm64 => CpuArchitecture.Aarch64,
        Architecture.Ppc64le => CpuArchitecture.PowerPC64LE,
        Architecture.S390x => CpuArchitecture.S390x,
        _ => null,
    };

    public static CpuArchitecture RequireHost() => Host ?? throw new PlatformNotSupportedException(
        $"KvmPS supports x86_64, aarch64, powerpc64le and s390x hosts; this process runs on {RuntimeInformation.ProcessArchitecture}.");

    /// <summary>The `uname -m` spelling used in the ABI dump and in messages.</summary>
    public static string UnameName(this CpuArchitecture arch) => arch switch
    {
        CpuArchitecture.X86_64 => "x86_64",
        CpuArchitecture.Aarch64 => "aarch64",
        CpuArchitecture.PowerPC64LE => "powerpc64le",
        CpuArchitecture.S390x => "s390x",
        _ => throw new ArgumentOutOfRangeException(nameof(arch)),
    };

    public static CpuArchitecture Parse(string unameName)
    {
        foreach (var arch in All)
        {
            if (arch.UnameName() == unameName)
            {
                return arch;
            }
        }
        throw new ArgumentException(
            $"Unknown architecture '{unameName}'; expected one of {string.Join(", ", All.Select(a => a.UnameName()))}.",
            nameof(unameName));
    }

    public static bool IsBigEndian(this CpuArchitecture arch) => arch == CpuArchitecture.S390x;
}
