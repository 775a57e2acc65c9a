using KvmPS.Interop;
using KvmPS.Interop.Abi;
using Xunit;

namespace KvmPS.Abi.Tests;

/// <summary>
/// AbiCatalog.Dump(arch), the output of tests/KvmPS.AbiDump, equals line for line what the same names give
/// in that architecture's kernel headers: every ioctl number, struct size and checked member offset.
/// </summary>
[Collection(HeaderProbeCollection.Name)]
public sealed class AbiDumpConformanceTests(HeaderProbes probes)
{
    [ToolchainFact(CpuArchitecture.X86_64)] public void X86_64() => Check(CpuArchitecture.X86_64);
    [ToolchainFact(CpuArchitecture.Aarch64)] public void Aarch64() => Check(CpuArchitecture.Aarch64);
    [ToolchainFact(CpuArchitecture.PowerPC64LE)] public void PowerPC64LE() => Check(CpuArchitecture.PowerPC64LE);
    [ToolchainFact(CpuArchitecture.S390x)] public void S390x() => Check(CpuArchitecture.S390x);

    private void Check(CpuArchitecture arch)
    {
        ProbeResult headers = probes.For(arch);
        string[] dump = AbiCatalog.Dump(arch).ToArray();
        string[] expected = dump.Select(line => HeaderLine(headers, line)).ToArray();

        Assert.NotEmpty(dump);
        if (LineDiff.Describe($"ABI dump for {arch.UnameName()}", dump, expected, headers.ProbeSource) is string diff)
        {
            Assert.Fail(diff);
        }
    }

    /// <summary>The dump line with the module's value replaced by the headers' value for the same key.</summary>
    private static string HeaderLine(ProbeResult headers, string dumpLine)
    {
        string key = dumpLine[..dumpLine.LastIndexOf(' ')];
        return $"{key} {headers.Describe(key)}";
    }
}
