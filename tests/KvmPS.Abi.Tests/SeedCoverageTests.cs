using KvmPS.Interop;
using KvmPS.Interop.Abi;
using Xunit;

namespace KvmPS.Abi.Tests;

/// <summary>Every seed ioctl an architecture's headers define is in that architecture's dump.</summary>
[Collection(HeaderProbeCollection.Name)]
public sealed class SeedCoverageTests(HeaderProbes probes)
{
    [ToolchainFact(CpuArchitecture.X86_64)] public void X86_64() => Check(CpuArchitecture.X86_64);
    [ToolchainFact(CpuArchitecture.Aarch64)] public void Aarch64() => Check(CpuArchitecture.Aarch64);
    [ToolchainFact(CpuArchitecture.PowerPC64LE)] public void PowerPC64LE() => Check(CpuArchitecture.PowerPC64LE);
    [ToolchainFact(CpuArchitecture.S390x)] public void S390x() => Check(CpuArchitecture.S390x);

    private void Check(CpuArchitecture arch)
    {
        ProbeResult headers = probes.For(arch);
        var dumped = AbiCatalog.Dump(arch)
            .Where(line => line.StartsWith("ioctl ", StringComparison.Ordinal))
            .Select(line => line.Split(' ')[1])
            .ToHashSet(StringComparer.Ordinal);
        string[] missing = SeedIoctls.Names
            .Where(name => headers.IsDefined(ProbeItem.IoctlKey(name)) && !dumped.Contains(name))
            .ToArray();
        if (missing.Length > 0)
        {
            Assert.Fail($"{missing.Length} seed ioctls the {arch.UnameName()} headers define are not in the dump: {string.Join(", ", missing)}");
        }
    }
}
