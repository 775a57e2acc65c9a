using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;
using Xunit;

namespace KvmPS.Abi.Tests;

/// <summary>
/// Compiles one probe per architecture, all four in parallel, once per test run: the value of every ioctl
/// the module knows or the seed list names, sizeof every struct the module knows, offsetof and size of every
/// member of every layout the module declares, and on x86_64 the KVM_CAP_* numbers.
/// </summary>
public sealed class HeaderProbes
{
    private readonly Dictionary<CpuArchitecture, Task<ProbeResult>> _probes = [];

    public HeaderProbes()
    {
        foreach (CpuArchitecture arch in CpuArchitectures.All)
        {
            ProbeToolchain toolchain = ProbeToolchain.For(arch);
            if (toolchain.IsAvailable)
            {
                _probes[arch] = Task.Run(() => CProbe.Run(toolchain, ItemsFor(arch),
                    Path.Combine(AppContext.BaseDirectory, "abi-probes", arch.UnameName())));
            }
        }
    }

    /// <summary>
    /// The headers' answers for <paramref name="arch"/>, with the values of <see cref="NewerThanHeaders"/> for the
    /// declarations newer than the installed headers; throws, naming the packages, without a toolchain.
    /// </summary>
    public ProbeResult For(CpuArchitecture arch) => NewerThanHeaders.Apply(arch, Installed(arch));

    /// <summary>What the installed headers alone say.</summary>
    public ProbeResult Installed(CpuArchitecture arch)
    {
        ProbeToolchain.For(arch).RequireCompiler();
        return _probes[arch].GetAwaiter().GetResult();
    }

    public static IReadOnlyList<ProbeItem> ItemsFor(CpuArchitecture arch)
    {
        var items = new List<ProbeItem>();
        items.AddRange(AbiCatalog.Ioctls.Select(i => ProbeItem.Ioctl(i.Name)));
        items.AddRange(SeedIoctls.Names.Select(ProbeItem.Ioctl));
        items.AddRange(AbiCatalog.Structs.Select(s => ProbeItem.SizeOf(s.Name)));
        foreach (KernelStruct kernelStruct in AbiCatalog.Structs)
        {
            if (kernelStruct.LayoutFor(arch) is not CStructLayout layout)
            {
                continue;
            }
            items.AddRange(kernelStruct.CheckedFieldsOn(arch).Select(path => ProbeItem.OffsetOf(layout.Name, path)));
            foreach ((string path, CField field) in LayoutMembers.Of(layout))
            {
                if (KnownBitFields.Contains(layout.Name, path, arch))
                {
                    continue;
                }
                items.Add(ProbeItem.OffsetOf(layout.Name, path));
                if (LayoutMembers.HasSize(field))
                {
                    items.Add(ProbeItem.MemberSize(layout.Name, path));
                }
            }
        }
        if (arch == CpuArchitecture.X86_64 && KvmCapabilityEnum.Find() is Type capabilities)
        {
            items.AddRange(KvmCapabilityEnum.Entries(capabilities).Select(c => ProbeItem.Macro(c.KernelName)));
        }
        return items.DistinctBy(item => item.Key).ToArray();
    }
}

[CollectionDefinition(Name)]
public sealed class HeaderProbeCollection : ICollectionFixture<HeaderProbes>
{
    public const string Name = "Kernel headers";
}
