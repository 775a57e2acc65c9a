using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm.Inventory;

/// <summary>
/// Every ioctl KvmPS knows: those api.txt section 4 documents (removed ones included) and those the module declares
/// (successors from today's api.rst, VFIO), with what this host supports.
/// </summary>
internal static class KvmIoctlInventory
{
    private const string VfioContainerPath = "/dev/vfio/vfio";

    public static IReadOnlyList<KvmIoctlInfo> Describe(KvmSystem? system)
    {
        CpuArchitecture? host = CpuArchitectures.Host;
        var declared = AbiCatalog.Ioctls.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var rows = new List<KvmIoctlInfo>();
        foreach (ApiSectionEntry entry in ApiSections.All)
        {
            declared.Remove(entry.Name, out IoctlDefinition? ioctl);
            rows.Add(Row(entry.Name, entry.Section, entry.Type, entry.Capability, ioctl, host, system) with
            {
                Removed = entry.IsRemoved,
                ReplacedBy = entry.ReplacedBy,
                SupportedOnHost = entry.IsRemoved ? false : Supported(entry.Capability, ioctl, host, system),
            });
        }
        foreach (IoctlDefinition ioctl in declared.Values)
        {
            string capability = ioctl.Name.StartsWith("VFIO_", StringComparison.Ordinal) ? "-" : "";
            rows.Add(Row(ioctl.Name, "-", TypeOf(ioctl.DescriptorKind), capability, ioctl, host, system));
        }
        return rows;
    }

    private static KvmIoctlInfo Row(string name, string section, string type, string capability, IoctlDefinition? ioctl,
        CpuArchitecture? host, KvmSystem? system) => new()
    {
        Name = name,
        Section = section,
        Type = type,
        Capability = capability,
        Architectures = ioctl is null ? "" : ioctl.Architectures.ToString(),
        Number = ioctl is not null && host is CpuArchitecture arch && ioctl.IsDefinedOn(arch) ? ioctl.RequestOn(arch) : null,
        Declared = ioctl is not null,
        SupportedOnHost = Supported(capability, ioctl, host, system),
    };

    private static bool? Supported(string capability, IoctlDefinition? ioctl, CpuArchitecture? host, KvmSystem? system)
    {
        if (ioctl is not null && host is CpuArchitecture arch && !ioctl.IsDefinedOn(arch))
        {
            return false;
        }
        if (ioctl?.Name.StartsWith("VFIO_", StringComparison.Ordinal) == true)
        {
            return File.Exists(VfioContainerPath);
        }
        if (system is null)
        {
            return null;
        }
        if (capability == "basic")
        {
            return ioctl is not null ? true : null;
        }
        return KvmNames.TryParse(capability, out KvmCapability known) ? system.CheckExtension(known) > 0 : null;
    }

    /// <summary>The api.txt "Type:" words for a descriptor kind.</summary>
    public static string TypeOf(Type kind) => kind.Name switch
    {
        nameof(IKvmSystemDescriptor) => "system",
        nameof(IKvmVmDescriptor) => "vm",
        nameof(IKvmVcpuDescriptor) => "vcpu",
        nameof(IKvmDeviceDescriptor) => "device",
        nameof(ICheckExtensionDescriptor) => "system, vm",
        nameof(IEnableCapDescriptor) => "vcpu, vm",
        nameof(IStatsDescriptor) => "vm, vcpu",
        nameof(IMsrsDescriptor) => "system, vcpu",
        nameof(IDeviceAttributeDescriptor) => "device, vm, vcpu",
        nameof(IVfioContainerDescriptor) => "vfio container",
        nameof(IVfioGroupDescriptor) => "vfio group",
        nameof(IVfioDeviceDescriptor) => "vfio device",
        _ => kind.Name,
    };
}
