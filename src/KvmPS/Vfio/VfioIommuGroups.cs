using System.Globalization;

namespace KvmPS.Vfio;

/// <summary>A device of an IOMMU group as sysfs shows it: its name (the PCI address for PCI) and the driver bound to it.</summary>
public sealed record VfioGroupDevice(string Name, string? Driver, string? Vendor, string? DeviceId)
{
    /// <summary>Drivers that keep a group viable: VFIO's own, pci-stub, or no driver at all.</summary>
    public bool KeepsGroupViable => Driver is null or "vfio-pci" or "pci-stub" or "vfio-platform" or "vfio-amba" or "vfio-fsl-mc"
        || Driver.StartsWith("vfio", StringComparison.Ordinal);

    public override string ToString() => $"{Name} ({Driver ?? "no driver"})";
}

/// <summary>An IOMMU group from /sys/kernel/iommu_groups and the VFIO node that opens it, if one exists.</summary>
public sealed record VfioGroupInfo(int Id, IReadOnlyList<VfioGroupDevice> Devices, string DevicePath, bool DeviceNodeExists)
{
    /// <summary>What sysfs suggests about viability (VFIO_GROUP_GET_STATUS is the authority once the group is open).</summary>
    public bool AllDevicesBoundToVfio => Devices.All(d => d.KeepsGroupViable);

    public override string ToString() => $"IOMMU group {Id}: {string.Join(", ", Devices)}";
}

/// <summary>Reads the IOMMU groups from sysfs; the root is injectable so tests can build a fake tree.</summary>
public sealed class VfioIommuGroups
{
    public const string DefaultSysfsRoot = "/sys/kernel/iommu_groups";

    public VfioIommuGroups(string sysfsRoot = DefaultSysfsRoot, string deviceDirectory = "/dev/vfio")
    {
        SysfsRoot = sysfsRoot;
        DeviceDirectory = deviceDirectory;
    }

    public string SysfsRoot { get; }
    public string DeviceDirectory { get; }

    public string DevicePathOf(int groupId) => Path.Combine(DeviceDirectory, groupId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Every group, sorted by id; empty when the host has no IOMMU groups (no IOMMU, or it is disabled).</summary>
    public IReadOnlyList<VfioGroupInfo> List()
    {
        if (!Directory.Exists(SysfsRoot))
        {
            return [];
        }
        var groups = new List<VfioGroupInfo>();
        foreach (string directory in Directory.EnumerateDirectories(SysfsRoot))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                groups.Add(Read(id));
            }
        }
        return groups.OrderBy(g => g.Id).ToArray();
    }

    /// <summary>One group, or null when sysfs has no such group.</summary>
    public VfioGroupInfo? Find(int id) =>
        Directory.Exists(Path.Combine(SysfsRoot, id.ToString(CultureInfo.InvariantCulture))) ? Read(id) : null;

    private VfioGroupInfo Read(int id)
    {
        string devicesDirectory = Path.Combine(SysfsRoot, id.ToString(CultureInfo.InvariantCulture), "devices");
        var devices = new List<VfioGroupDevice>();
        if (Directory.Exists(devicesDirectory))
        {
            foreach (string device in Directory.EnumerateFileSystemEntries(devicesDirectory).OrderBy(d => d, StringComparer.Ordinal))
            {
                devices.Add(new VfioGroupDevice(Path.GetFileName(device), DriverOf(device), ReadValue(device, "vendor"), ReadValue(device, "device")));
            }
        }
        string node = DevicePathOf(id);
        return new VfioGroupInfo(id, devices, node, File.Exists(node));
    }

    private static string? DriverOf(string device)
    {
        // sysfs: devices/<name>/driver is a symlink to .../drivers/<driver name>; absent when no driver is bound.
        string? target = new FileInfo(Path.Combine(device, "driver")).LinkTarget;
        return target is null ? null : Path.GetFileName(target.TrimEnd('/'));
    }

    private static string? ReadValue(string device, string name)
    {
        string path = Path.Combine(device, name);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
