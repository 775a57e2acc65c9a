using KvmPS.Interop;
using KvmPS.Tests.Doubles;
using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

public sealed class VfioContainerTests
{
    [Fact]
    public void OpenChecksTheApiVersionAndProbesIommuTypes()
    {
        using var bed = VfioTestBed.X86();
        using (VfioContainer container = bed.Open())
        {
            Assert.Equal(0, container.ApiVersion);
            Assert.Equal([VfioIommuType.Type1, VfioIommuType.Type1v2], container.SupportedIommuTypes);
            Assert.Null(container.IommuType);
            Assert.Equal(1, container.CheckExtension(3));
            Assert.Equal(0, container.CheckExtension(7));
        }
        bed.AssertNoLeaks();
    }

    [Fact]
    public void AnotherApiVersionIsRefusedAndTheDescriptorClosed()
    {
        using var bed = VfioTestBed.X86();
        bed.Vfio.ApiVersion = 1;
        var e = Assert.Throws<KvmPSException>(bed.Open);
        Assert.Equal("VfioApiVersionMismatch", e.ErrorId);
        bed.AssertNoLeaks();
    }

    [Fact]
    public void AMissingContainerNodeSaysWhatToLoad()
    {
        using var bed = VfioTestBed.X86();
        var e = Assert.Throws<KvmPSException>(() => VfioContainer.Open(bed.Kernel.Kernel, 1, "/dev/vfio/none"));
        Assert.Equal("VfioContainerNotFound", e.ErrorId);
        Assert.Equal(ErrorKind.NotInstalled, e.Kind);
        Assert.Contains("vfio-pci", e.Message);
        Assert.Contains("vfio_iommu_spapr_tce", e.Message);
    }

    [Fact]
    public void AnUnreadableContainerNodeIsAPermissionError()
    {
        using var bed = VfioTestBed.X86();
        bed.Kernel.FailOpen(VfioDouble.ContainerPath, Errno.EACCES);
        var e = Assert.Throws<KvmPSException>(bed.Open);
        Assert.Equal("VfioContainerAccessDenied", e.ErrorId);
        Assert.Equal(ErrorKind.PermissionDenied, e.Kind);
    }

    /// <summary>This x86_64 host has no /dev/vfio/vfio: the real open through libc gives the clear "not found" error.</summary>
    [HostWithoutVfioFact]
    public void OnThisHostTheRealContainerIsAbsent()
    {
        var e = Assert.Throws<KvmPSException>(() => VfioContainer.Open(KernelInterface.Host));
        Assert.Equal("VfioContainerNotFound", e.ErrorId);
        Assert.Contains("/dev/vfio/vfio does not exist", e.Message);
    }

    [Fact]
    public void SetIommuBeforeAGroupIsAttachedIsRefusedBeforeTheIoctl()
    {
        using var bed = VfioTestBed.X86();
        using VfioContainer container = bed.Open();
        int before = bed.Kernel.IoctlLog.Count;
        var e = Assert.Throws<KvmPSException>(() => container.SetIommu(VfioIommuType.Type1v2));
        Assert.Equal("VfioIommuNeedsGroup", e.ErrorId);
        Assert.Equal(before, bed.Kernel.IoctlLog.Count);
    }

    [Fact]
    public void TheKernelAlsoRefusesSetIommuWithoutAGroup()
    {
        using var bed = VfioTestBed.X86();
        using VfioContainer container = bed.Open();
        var e = Assert.Throws<KvmIoctlException>(() => KvmPS.Interop.KernelCalls.Ioctl(container.Descriptor, KvmPS.Interop.Ioctls.VfioIoctls.SetIommu, 3));
        Assert.Equal("VFIO_SET_IOMMU.EINVAL", e.ErrorId);
    }

    [Fact]
    public void AttachGroupThenSetIommu()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, VfioGroup group) = bed.Ready(VfioTestBed.Type1v2);
        using (container)
        {
            Assert.Equal(VfioIommuType.Type1v2, container.IommuType);
            Assert.Equal(VfioGroupFlags.Viable | VfioGroupFlags.ContainerSet, group.Status);
            Assert.Same(bed.Vfio.Containers[0], bed.Vfio.Groups[7].Container);
            var e = Assert.Throws<KvmPSException>(() => container.SetIommu(VfioIommuType.Type1));
            Assert.Equal("VfioIommuAlreadySet", e.ErrorId);
        }
        bed.AssertNoLeaks();
    }

    [Fact]
    public void AnUnsupportedIommuTypeListsTheSupportedOnes()
    {
        using var bed = VfioTestBed.X86();
        bed.Vfio.AddGroup(3, true, VfioTestBed.Pci("0000:02:00.0"));
        using VfioContainer container = bed.Open();
        container.AttachGroup(3);
        var e = Assert.Throws<KvmPSException>(() => container.SetIommu(VfioIommuType.SpaprTceV2));
        Assert.Equal("VfioIommuTypeNotSupported", e.ErrorId);
        Assert.Contains("Type1v2", e.Message);
        Assert.Throws<KvmPSException>(() => container.SetIommu((VfioIommuType)42));
    }

    [Fact]
    public void ANonViableGroupIsRefusedAndNamesTheDevicesFromSysfs()
    {
        using var bed = VfioTestBed.X86();
        bed.Vfio.AddGroup(5, viable: false, VfioTestBed.Pci("0000:03:00.0"));
        string device = Path.Combine(bed.SysfsRoot, "5", "devices", "0000:03:00.0");
        Directory.CreateDirectory(device);
        File.CreateSymbolicLink(Path.Combine(device, "driver"), "../../../../bus/pci/drivers/e1000e");
        using (VfioContainer container = bed.Open())
        {
            var e = Assert.Throws<KvmPSException>(() => container.AttachGroup(5));
            Assert.Equal("VfioGroupNotViable", e.ErrorId);
            Assert.Contains("0000:03:00.0 (e1000e)", e.Message);
            Assert.Empty(container.Groups);
        }
        bed.AssertNoLeaks();
    }

    [Fact]
    public void TheKernelAnswersEbusyForANonViableGroup()
    {
        using var bed = VfioTestBed.X86();
        bed.Vfio.AddGroup(5, viable: false, VfioTestBed.Pci("0000:03:00.0"));
        using VfioContainer container = bed.Open();
        using var group = KvmPS.Interop.KernelCalls.OpenDevice<KvmPS.Interop.Handles.VfioGroupHandle>(bed.Kernel.Kernel, "/dev/vfio/5", 2, _ => null);
        var e = Assert.Throws<KvmIoctlException>(() => SetContainer(group, container.Descriptor.Number));
        Assert.Equal("VFIO_GROUP_SET_CONTAINER.EBUSY", e.ErrorId);
    }

    private static unsafe long SetContainer(KvmPS.Interop.Handles.VfioGroupHandle group, int fd) =>
        KvmPS.Interop.KernelCalls.Ioctl(group, KvmPS.Interop.Ioctls.VfioIoctls.GroupSetContainer, (nint)(&fd));

    [Fact]
    public void AGroupInAnotherContainerIsRefused()
    {
        using var bed = VfioTestBed.X86();
        bed.Vfio.AddGroup(4, true, VfioTestBed.Pci("0000:04:00.0"));
        using VfioContainer first = bed.Open();
        first.AttachGroup(4);
        bed.Vfio.Groups[4].Container = bed.Vfio.Containers[0];
        using VfioContainer second = bed.Open();
        var e = Assert.Throws<KvmPSException>(() => second.AttachGroup(4));
        Assert.Equal("VfioGroupAlreadyInContainer", e.ErrorId);
        var again = Assert.Throws<KvmPSException>(() => first.AttachGroup(4));
        Assert.Equal("VfioGroupAlreadyAttached", again.ErrorId);
    }

    [Theory]
    [InlineData(Errno.ENOENT, "VfioGroupNotFound")]
    [InlineData(Errno.EBUSY, "VfioGroupInUse")]
    [InlineData(Errno.EACCES, "VfioGroupAccessDenied")]
    public void GroupOpenErrorsAreExplained(int errno, string errorId)
    {
        using var bed = VfioTestBed.X86();
        bed.Kernel.FailOpen("/dev/vfio/9", errno);
        using VfioContainer container = bed.Open();
        var e = Assert.Throws<KvmPSException>(() => container.AttachGroup(9));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Throws<KvmPSException>(() => container.AttachGroup(-1));
    }

    [Fact]
    public void DetachingTheLastGroupResetsTheContainer()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, VfioGroup group) = bed.Ready(VfioTestBed.Type1v2);
        using (container)
        {
            container.DetachGroup(group);
            Assert.Null(container.IommuType);
            Assert.True(group.IsDetached);
            Assert.Null(bed.Vfio.Groups[7].Container);
            Assert.Null(bed.Vfio.Containers[0].IommuType);
            Assert.Equal("VfioGroupNotAttached", Assert.Throws<KvmPSException>(() => container.DetachGroup(group)).ErrorId);
            Assert.Equal("VfioGroupRemoved", Assert.Throws<KvmPSException>(() => group.Status).ErrorId);
        }
        bed.AssertNoLeaks();
    }

    [Fact]
    public void DetachingAGroupWithOpenDevicesNeedsForce()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, VfioGroup group) = bed.Ready(VfioTestBed.Type1v2);
        using (container)
        {
            VfioDevice device = group.OpenDevice("0000:01:00.0");
            Assert.Equal("VfioGroupHasOpenDevices", Assert.Throws<KvmPSException>(() => container.DetachGroup(group)).ErrorId);
            container.DetachGroup(group, closeDevices: true);
            Assert.True(device.IsClosed);
        }
        bed.AssertNoLeaks();
    }

    [Fact]
    public void ClosingTheContainerReleasesGroupsAndDevices()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, VfioGroup group) = bed.Ready(VfioTestBed.Type1v2);
        group.OpenDevice("0000:01:00.0");
        container.Dispose();
        container.Dispose();
        Assert.True(container.IsClosed);
        Assert.True(group.IsDetached);
        Assert.Equal("VfioContainerClosed", Assert.Throws<KvmPSException>(() => container.AttachGroup(7)).ErrorId);
        bed.AssertNoLeaks();
    }

    [Fact]
    public void IommuOperationsNeedTheTypeSet()
    {
        using var bed = VfioTestBed.X86();
        using VfioContainer container = bed.Open();
        Assert.Equal("VfioIommuNotSet", Assert.Throws<KvmPSException>(() => container.GetIommuInfo()).ErrorId);
        Assert.Equal("VfioIommuNotSet", Assert.Throws<KvmPSException>(() => container.CreateDmaWindow(16, 1UL << 30)).ErrorId);
        Assert.Equal("VfioIommuNotSet", Assert.Throws<KvmPSException>(() => container.MapDma(0x1000, 0x1000, 0, true, true)).ErrorId);
    }
}

/// <summary>A test of the real host's answer where VFIO is absent; skipped, saying so, on a host that has it.</summary>
public sealed class HostWithoutVfioFactAttribute : FactAttribute
{
    public HostWithoutVfioFactAttribute()
    {
        if (File.Exists(VfioContainer.DefaultDevicePath))
        {
            Skip = $"this host has {VfioContainer.DefaultDevicePath}; tests/Pester/Vfio.Tests.ps1 covers real VFIO hosts";
        }
    }
}
