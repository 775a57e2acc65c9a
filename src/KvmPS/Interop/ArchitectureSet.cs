using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Interop;

/// <summary>The architectures whose UAPI headers define an ioctl or struct.</summary>
[JsonConverter(typeof(StringEnumConverter))]
[Flags]
internal enum ArchitectureSet
{
    None = 0,
    X86_64 = 1,
    Aarch64 = 2,
    PowerPC64LE = 4,
    S390x = 8,
    All = X86_64 | Aarch64 | PowerPC64LE | S390x,
}

internal static class ArchitectureSets
{
    public static ArchitectureSet Of(CpuArchitecture arch) => arch switch
    {
        CpuArchitecture.X86_64 => ArchitectureSet.X86_64,
        CpuArchitecture.Aarch64 => ArchitectureSet.Aarch64,
        CpuArchitecture.PowerPC64LE => ArchitectureSet.PowerPC64LE,
        CpuArchitecture.S390x => ArchitectureSet.S390x,
        _ => throw new ArgumentOutOfRangeException(nameof(arch)),
    };

    public static bool Contains(this ArchitectureSet set, CpuArchitecture arch) => (set & Of(arch)) != 0;
}
