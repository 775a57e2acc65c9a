using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;
using Xunit;

namespace KvmPS.Abi.Tests;

/// <summary>
/// The module offers an ioctl (and a struct) on an architecture exactly where that architecture's headers
/// define it: the name is #defined and its value is a constant there (KVM_CREATE_SPAPR_TCE is #defined on
/// every architecture, but its struct exists only on powerpc, so only powerpc can compute it).
/// </summary>
[Collection(HeaderProbeCollection.Name)]
public sealed class AvailabilityTests(HeaderProbes probes)
{
    [ToolchainFact(CpuArchitecture.X86_64)] public void Ioctls_X86_64() => CheckIoctls(CpuArchitecture.X86_64);
    [ToolchainFact(CpuArchitecture.Aarch64)] public void Ioctls_Aarch64() => CheckIoctls(CpuArchitecture.Aarch64);
    [ToolchainFact(CpuArchitecture.PowerPC64LE)] public void Ioctls_PowerPC64LE() => CheckIoctls(CpuArchitecture.PowerPC64LE);
    [ToolchainFact(CpuArchitecture.S390x)] public void Ioctls_S390x() => CheckIoctls(CpuArchitecture.S390x);

    [ToolchainFact(CpuArchitecture.X86_64)] public void Structs_X86_64() => CheckStructs(CpuArchitecture.X86_64);
    [ToolchainFact(CpuArchitecture.Aarch64)] public void Structs_Aarch64() => CheckStructs(CpuArchitecture.Aarch64);
    [ToolchainFact(CpuArchitecture.PowerPC64LE)] public void Structs_PowerPC64LE() => CheckStructs(CpuArchitecture.PowerPC64LE);
    [ToolchainFact(CpuArchitecture.S390x)] public void Structs_S390x() => CheckStructs(CpuArchitecture.S390x);

    private void CheckIoctls(CpuArchitecture arch)
    {
        ProbeResult headers = probes.For(arch);
        var mismatches = new List<string>();
        foreach (IoctlDefinition ioctl in AbiCatalog.Ioctls)
        {
            string key = ProbeItem.IoctlKey(ioctl.Name);
            bool inHeaders = headers.IsDefined(key);
            if (ioctl.IsDefinedOn(arch) && !inHeaders)
            {
                mismatches.Add($"  {ioctl.Name}: offered by the module, but the headers give {headers.Describe(key)}; the module would send a guessed number.");
            }
            else if (!ioctl.IsDefinedOn(arch) && inHeaders)
            {
                mismatches.Add($"  {ioctl.Name}: the headers define it as {headers.Describe(key)}, but the module does not offer it.");
            }
        }
        Report($"ioctl availability on {arch.UnameName()}", mismatches, headers);
    }

    private void CheckStructs(CpuArchitecture arch)
    {
        ProbeResult headers = probes.For(arch);
        var mismatches = new List<string>();
        foreach (KernelStruct kernelStruct in AbiCatalog.Structs)
        {
            string key = ProbeItem.SizeOfKey(kernelStruct.Name);
            bool inHeaders = headers.IsDefined(key);
            if (kernelStruct.IsDefinedOn(arch) != inHeaders)
            {
                mismatches.Add(inHeaders
                    ? $"  struct {kernelStruct.Name}: the headers define it ({headers.Describe(key)} bytes), but the module has no layout for it."
                    : $"  struct {kernelStruct.Name}: the module has a layout, but the headers give {headers.Describe(key)}.");
            }
        }
        Report($"struct availability on {arch.UnameName()}", mismatches, headers);
    }

    private static void Report(string what, List<string> mismatches, ProbeResult headers)
    {
        if (mismatches.Count > 0)
        {
            Assert.Fail($"{what} disagrees with the kernel headers (probe: {headers.ProbeSource}):\n{string.Join("\n", mismatches)}");
        }
    }
}
