using KvmPS.Interop;
using KvmPS.Interop.Abi;
using Xunit;

namespace KvmPS.Abi.Tests;

/// <summary>The exemption of <see cref="NewerThanHeaders"/> stays exactly as large as the installed headers force it to be.</summary>
[Collection(HeaderProbeCollection.Name)]
public sealed class NewerThanHeadersTests(HeaderProbes probes)
{
    [ToolchainFact(CpuArchitecture.X86_64)] public void X86_64() => Check(CpuArchitecture.X86_64);
    [ToolchainFact(CpuArchitecture.Aarch64)] public void Aarch64() => Check(CpuArchitecture.Aarch64);
    [ToolchainFact(CpuArchitecture.PowerPC64LE)] public void PowerPC64LE() => Check(CpuArchitecture.PowerPC64LE);
    [ToolchainFact(CpuArchitecture.S390x)] public void S390x() => Check(CpuArchitecture.S390x);

    private void Check(CpuArchitecture arch)
    {
        ProbeResult installed = probes.Installed(arch);
        IReadOnlyDictionary<string, ulong> exempt = NewerThanHeaders.On(arch);
        string[] nowInHeaders = exempt.Keys.Where(installed.IsDefined).ToArray();
        Assert.True(nowInHeaders.Length == 0,
            $"The installed {arch.UnameName()} headers now define {string.Join(", ", nowInHeaders)}: delete these entries from NewerThanHeaders.");

        var module = AbiCatalog.Dump(arch).Select(line => line[..line.LastIndexOf(' ')]).ToHashSet(StringComparer.Ordinal);
        var probed = HeaderProbes.ItemsFor(arch).Select(item => item.Key).ToHashSet(StringComparer.Ordinal);
        string[] unused = exempt.Keys.Where(key => !module.Contains(key) && !probed.Contains(key)).ToArray();
        Assert.True(unused.Length == 0, $"NewerThanHeaders exempts {string.Join(", ", unused)}, which the module no longer declares on {arch.UnameName()}.");
    }

    [ToolchainFact(CpuArchitecture.X86_64)]
    public void TheModuleAgreesWithTheNewerHeadersValues()
    {
        IReadOnlyDictionary<string, ulong> exempt = NewerThanHeaders.On(CpuArchitecture.X86_64);
        var dump = AbiCatalog.Dump(CpuArchitecture.X86_64).ToDictionary(line => line[..line.LastIndexOf(' ')], line => ulong.Parse(line[(line.LastIndexOf(' ') + 1)..]));
        Assert.Equal(exempt["ioctl KVM_SET_USER_MEMORY_REGION2"], dump["ioctl KVM_SET_USER_MEMORY_REGION2"]);
        Assert.Equal(exempt["ioctl KVM_CREATE_GUEST_MEMFD"], dump["ioctl KVM_CREATE_GUEST_MEMFD"]);
        Assert.Equal(exempt["sizeof kvm_userspace_memory_region2"], dump["sizeof kvm_userspace_memory_region2"]);
        Assert.Equal(2158014025ul, KvmPS.Interop.Ioctls.KvmVmIoctls.SetUserMemoryRegion2.RequestOn(CpuArchitecture.PowerPC64LE));
    }
}
