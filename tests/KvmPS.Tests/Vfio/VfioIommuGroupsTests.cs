using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

public sealed class VfioIommuGroupsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kvmps-iommu-" + Guid.NewGuid().ToString("N"));
    private readonly string _dev = Path.Combine(Path.GetTempPath(), "kvmps-devvfio-" + Guid.NewGuid().ToString("N"));

    private void AddDevice(int group, string name, string? driver, string? vendor = null)
    {
        string device = Path.Combine(_root, group.ToString(System.Globalization.CultureInfo.InvariantCulture), "devices", name);
        Directory.CreateDirectory(device);
        if (driver is not null)
        {
            File.CreateSymbolicLink(Path.Combine(device, "driver"), $"../../../../bus/pci/drivers/{driver}");
        }
        if (vendor is not null)
        {
            File.WriteAllText(Path.Combine(device, "vendor"), vendor + "\n");
        }
    }

    [Fact]
    public void ListsGroupsWithDevicesAndDrivers()
    {
        AddDevice(12, "0000:01:00.0", "vfio-pci", "0x10de");
        AddDevice(12, "0000:01:00.1", "snd_hda_intel");
        AddDevice(3, "0000:00:1f.0", null);
        Directory.CreateDirectory(Path.Combine(_root, "notagroup"));
        Directory.CreateDirectory(_dev);
        File.WriteAllText(Path.Combine(_dev, "3"), "");
        var groups = new VfioIommuGroups(_root, _dev);

        IReadOnlyList<VfioGroupInfo> list = groups.List();
        Assert.Equal([3, 12], list.Select(g => g.Id));
        Assert.True(list[0].AllDevicesBoundToVfio);
        Assert.True(list[0].DeviceNodeExists);
        Assert.Null(list[0].Devices[0].Driver);
        VfioGroupInfo gpu = list[1];
        Assert.False(gpu.DeviceNodeExists);
        Assert.Equal(Path.Combine(_dev, "12"), gpu.DevicePath);
        Assert.Equal(["vfio-pci", "snd_hda_intel"], gpu.Devices.Select(d => d.Driver));
        Assert.Equal("0x10de", gpu.Devices[0].Vendor);
        Assert.False(gpu.AllDevicesBoundToVfio);
        Assert.Equal("IOMMU group 12: 0000:01:00.0 (vfio-pci), 0000:01:00.1 (snd_hda_intel)", gpu.ToString());
        Assert.Null(groups.Find(99));
        Assert.Equal(12, groups.Find(12)!.Id);
    }

    [Fact]
    public void AHostWithoutIommuGroupsListsNone() =>
        Assert.Empty(new VfioIommuGroups(Path.Combine(_root, "absent")).List());

    [Fact]
    public void TheRealSysfsCanBeRead() => _ = new VfioIommuGroups().List();

    public void Dispose()
    {
        foreach (string directory in new[] { _root, _dev })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
