using KvmPS.Interop;
using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

public sealed class VfioDeviceTests
{
    [Fact]
    public void OpenADeviceAndDecodeItsInfo()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, VfioGroup group) = bed.Ready(VfioTestBed.Type1v2);
        using (container)
        {
            VfioDevice device = group.OpenDevice("0000:01:00.0");
            Assert.Same(device, group.OpenDevice("0000:01:00.0"));
            Assert.True(device.IsPci);
            Assert.True(device.SupportsReset);
            Assert.False(device.HasCapabilities);
            Assert.Equal(9, device.RegionCount);
            Assert.Equal(["BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "ROM", "CONFIG"], device.Regions.Select(r => r.Name));
            Assert.Equal(VfioRegionFlags.Read | VfioRegionFlags.Write | VfioRegionFlags.Mmap, device.Regions[0].Flags);
            Assert.True(device.Regions[0].CanMmap);
            Assert.Equal((256UL, 7UL << 40), (device.Regions[7].Size, device.Regions[7].Offset));
            Assert.Equal(["INTX", "MSI", "MSIX", "ERR", "REQ"], device.Irqs.Select(i => i.Name));
            Assert.Equal((VfioIrqFlags.EventFd | VfioIrqFlags.Maskable | VfioIrqFlags.Automasked, 1), (device.Irqs[0].Flags, device.Irqs[0].Count));
            Assert.Equal(64, device.Irqs[2].Count);

            device.Reset();
            Assert.Equal(1, bed.Vfio.Groups[7].Resets);
            device.Dispose();
            Assert.Empty(group.Devices);
            Assert.Equal("VfioDeviceClosed", Assert.Throws<KvmPSException>(() => device.Reset()).ErrorId);
        }
        bed.AssertNoLeaks();
    }

    [Fact]
    public void ACapabilityChainIsReportedButNotDecoded()
    {
        using var bed = VfioTestBed.X86();
        bed.Vfio.AddGroup(2, true, VfioTestBed.Pci("0000:05:00.0", capabilityBytes: 16));
        using VfioContainer container = bed.Open();
        VfioGroup group = container.AttachGroup(2);
        container.SetIommu(VfioIommuType.Type1v2);
        Assert.True(group.OpenDevice("0000:05:00.0").HasCapabilities);
    }

    [Fact]
    public void ResetIsRefusedForDevicesWithoutTheFlag()
    {
        using var bed = VfioTestBed.X86();
        bed.Vfio.AddGroup(2, true, VfioTestBed.Pci("0000:05:00.0", reset: false));
        using VfioContainer container = bed.Open();
        VfioGroup group = container.AttachGroup(2);
        container.SetIommu(VfioIommuType.Type1);
        VfioDevice device = group.OpenDevice("0000:05:00.0");
        var e = Assert.Throws<KvmPSException>(device.Reset);
        Assert.Equal("VfioDeviceResetNotSupported", e.ErrorId);
        Assert.Equal(0, bed.Vfio.Groups[2].Resets);
    }

    [Fact]
    public void DevicesNeedTheIommuSetAndAKnownName()
    {
        using var bed = VfioTestBed.X86();
        bed.Vfio.AddGroup(2, true, VfioTestBed.Pci("0000:05:00.0"));
        using VfioContainer container = bed.Open();
        VfioGroup group = container.AttachGroup(2);
        Assert.Equal("VfioIommuNotSet", Assert.Throws<KvmPSException>(() => group.OpenDevice("0000:05:00.0")).ErrorId);
        container.SetIommu(VfioIommuType.Type1v2);
        var e = Assert.Throws<KvmIoctlException>(() => group.OpenDevice("0000:09:00.0"));
        Assert.Equal("VFIO_GROUP_GET_DEVICE_FD.ENODEV", e.ErrorId);
        Assert.Contains("no device named '0000:09:00.0'", e.Message);
        Assert.Throws<ArgumentException>(() => group.OpenDevice(" "));
    }
}
