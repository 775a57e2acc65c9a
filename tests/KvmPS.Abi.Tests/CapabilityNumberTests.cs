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
        long highestInHeaders = entries
            .Select(c => headers.Values.TryGetValue(ProbeItem.MacroKey(c.KernelName), out ulong value) ? (long)value : -1)
            .Max();
        IReadOnlyDictionary<string, long> newer = NewerDefinitions();
        string[] mismatches = entries
            .Where(c => headers.Values.TryGetValue(ProbeItem.MacroKey(c.KernelName), out ulong value)
                ? (long)value != c.Value
                // a capability later kernels added: listed in tools/kvm-uapi-newer.txt with this number, above the headers'
                : !(newer.TryGetValue(c.KernelName, out long listed) && listed == c.Value && c.Value > highestInHeaders))
            .Select(c => $"  {c.Member} = {c.Value}: {c.KernelName} is {headers.Describe(ProbeItem.MacroKey(c.KernelName))} in the headers")
            .ToArray();
        Assert.NotEmpty(entries);
        if (mismatches.Length > 0)
        {
            Assert.Fail($"{mismatches.Length} KvmCapability values differ from linux/kvm.h (probe: {headers.ProbeSource}):\n{string.Join("\n", mismatches)}");
        }
    }

    /// <summary>tools/kvm-uapi-newer.txt: the KVM_CAP_* numbers kernels after the installed headers added.</summary>
    private static IReadOnlyDictionary<string, long> NewerDefinitions()
    {
        DirectoryInfo? directory = new(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "tools", "kvm-uapi-newer.txt")))
        {
            directory = directory.Parent;
        }
        Assert.True(directory is not null, "tools/kvm-uapi-newer.txt not found above the test's directory");
        return File.ReadAllLines(Path.Combine(directory!.FullName, "tools", "kvm-uapi-newer.txt"))
            .Select(line => line.Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
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
