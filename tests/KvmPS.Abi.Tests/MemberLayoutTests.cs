using KvmPS.Interop;
using KvmPS.Interop.Abi;
using Xunit;
using Xunit.Abstractions;

namespace KvmPS.Abi.Tests;

/// <summary>
/// Beyond the dump's checked offsets: every member the layout model declares, with its real name, sits at the
/// headers' offset with the headers' size. The register cmdlets read kvm_regs and kvm_sregs by these names.
/// </summary>
[Collection(HeaderProbeCollection.Name)]
public sealed class MemberLayoutTests(HeaderProbes probes, ITestOutputHelper output)
{
    [ToolchainFact(CpuArchitecture.X86_64)] public void X86_64() => Check(CpuArchitecture.X86_64);
    [ToolchainFact(CpuArchitecture.Aarch64)] public void Aarch64() => Check(CpuArchitecture.Aarch64);
    [ToolchainFact(CpuArchitecture.PowerPC64LE)] public void PowerPC64LE() => Check(CpuArchitecture.PowerPC64LE);
    [ToolchainFact(CpuArchitecture.S390x)] public void S390x() => Check(CpuArchitecture.S390x);

    private void Check(CpuArchitecture arch)
    {
        ProbeResult headers = probes.For(arch);
        var module = new List<string>();
        var expected = new List<string>();
        int structs = 0, declaredInCSharp = 0;
        foreach (KernelStruct kernelStruct in AbiCatalog.Structs)
        {
            if (kernelStruct.LayoutFor(arch) is not CStructLayout layout)
            {
                continue;
            }
            structs++;
            declaredInCSharp += kernelStruct.DeclaringType is null ? 0 : 1;
            string sizeOfKey = ProbeItem.SizeOfKey(layout.Name);
            module.Add($"{sizeOfKey} {layout.Size}");
            expected.Add($"{sizeOfKey} {headers.Describe(sizeOfKey)}");
            foreach ((string path, CField field) in LayoutMembers.Of(layout))
            {
                if (KnownBitFields.Contains(layout.Name, path, arch))
                {
                    continue;
                }
                string offsetKey = ProbeItem.OffsetOfKey(layout.Name, path);
                module.Add($"{offsetKey} {layout.OffsetOf(path)}");
                expected.Add($"{offsetKey} {headers.Describe(offsetKey)}");
                if (LayoutMembers.HasSize(field))
                {
                    string sizeKey = ProbeItem.MemberSizeKey(layout.Name, path);
                    module.Add($"{sizeKey} {field.Size}");
                    expected.Add($"{sizeKey} {headers.Describe(sizeKey)}");
                }
            }
        }
        Assert.NotEmpty(module);
        int offsets = module.Count(line => line.StartsWith("offsetof ", StringComparison.Ordinal));
        int sizes = module.Count(line => line.StartsWith("membersize ", StringComparison.Ordinal));
        output.WriteLine($"ABI conformance {arch.UnameName()}: {structs} structs ({declaredInCSharp} declared as C# structs), " +
            $"{offsets} member offsets and {sizes} member sizes compared with the headers");
        if (LineDiff.Describe($"Struct members on {arch.UnameName()}", module, expected, headers.ProbeSource) is string diff)
        {
            Assert.Fail(diff);
        }
    }
}
