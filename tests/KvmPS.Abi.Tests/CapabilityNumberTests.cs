using KvmPS.Interop;
using Xunit;

namespace KvmPS.Abi.Tests;

/// <summary>Each KvmCapability member's value is the host headers' KVM_CAP_* number of its kernel name.</summary>
[Collection(HeaderProbeCollection.Name)]
public sealed class CapabilityNumberTests(HeaderProbes probes)
{
    [CapabilityFact]
    public void MatchHostHeaders()
    {
        Type capabilities = KvmCapabilityEnum.Find()!;
        ProbeResult headers = probes.For(CpuArchitecture.X86_64);
        var entries = KvmCapabilityEnum.Entries(capabilities);
        string[] mismatches = entries
            .Where(c => !headers.Values.TryGetValue(ProbeItem.MacroKey(c.KernelName), out ulong value) || (long)value != c.Value)
            .Select(c => $"  {c.Member} = {c.Value}: {c.KernelName} is {headers.Describe(ProbeItem.MacroKey(c.KernelName))} in the headers")
            .ToArray();
        Assert.NotEmpty(entries);
        if (mismatches.Length > 0)
        {
            Assert.Fail($"{mismatches.Length} KvmCapability values differ from linux/kvm.h (probe: {headers.ProbeSource}):\n{string.Join("\n", mismatches)}");
        }
    }

    /// <summary>Skipped until the module has KvmCapability; otherwise a <see cref="ToolchainFactAttribute"/> for x86_64.</summary>
    [AttributeUsage(AttributeTargets.Method)]
    public sealed class CapabilityFactAttribute : FactAttribute
    {
        public CapabilityFactAttribute()
        {
            ProbeToolchain toolchain = ProbeToolchain.For(CpuArchitecture.X86_64);
            if (KvmCapabilityEnum.Find() is null)
            {
                Skip = $"{KvmCapabilityEnum.TypeName} does not exist in this build yet.";
            }
            else if (!toolchain.IsAvailable && !ProbeToolchain.IsCi)
            {
                Skip = toolchain.Problem;
            }
        }
    }
}
