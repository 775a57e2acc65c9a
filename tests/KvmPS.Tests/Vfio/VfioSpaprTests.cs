using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;
using KvmPS.Tests.Doubles;
using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

/// <summary>The sPAPR TCE container, run at both host page sizes POWER uses (see the two classes at the end).</summary>
public abstract class VfioSpaprTests(int hostPageSize)
{
    private const ulong Window1G = 1UL << 30;

    protected int HostPageSize { get; } = hostPageSize;

    /// <summary>The largest IOMMU page ordinary (not huge-page) memory can back: PAGE_SHIFT.</summary>
    protected int HostPageShift => System.Numerics.BitOperations.Log2((uint)HostPageSize);

    [Fact]
    public void V2InfoDecodesTheDefaultWindowAndDdw()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            var info = Assert.IsType<VfioSpaprTceIommuInfo>(container.GetIommuInfo());
            Assert.True(info.SupportsDynamicWindows);
            Assert.Equal(0UL, info.Dma32WindowStart);
            Assert.Equal(0x8000_0000UL, info.Dma32WindowSize);
            Assert.Equal([12, 16, 24], info.PageShifts);
            Assert.Equal([4096UL, 65536UL, 16UL << 20], info.PageSizes.Select(p => p.Size));
            Assert.Equal(2, info.MaxDynamicWindows);
            Assert.Equal(5, info.MaxLevels);
            Assert.Equal("64K (shift 16)", info.PageSizes[1].ToString());
            VfioDmaWindow window = Assert.Single(container.DmaWindows);
            Assert.True(window.IsDefault);
            Assert.Equal((0UL, 0x8000_0000UL, 12), (window.StartAddress, window.Size, window.PageShift));
        }
        bed.AssertNoLeaks();
    }

    [Fact]
    public void V1InfoHasNoDdwAndTheContainerIsEnabled()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTce);
        using (container)
        {
            VfioSpaprTceIommuInfo info = container.GetSpaprTceInfo();
            Assert.False(info.SupportsDynamicWindows);
            Assert.Empty(info.PageSizes);
            Assert.Equal(0, info.MaxDynamicWindows);
            Assert.True(bed.Vfio.Containers[0].Enabled);
            Assert.Equal("VfioRequiresSpaprTceV2", Assert.Throws<KvmPSException>(() => container.CreateDmaWindow(16, Window1G)).ErrorId);
            Assert.Equal("VfioRequiresSpaprTceV2", Assert.Throws<KvmPSException>(() => container.RegisterMemory(0x10000, 0x10000)).ErrorId);
            Assert.Equal("VfioIommuTypeMismatch", Assert.Throws<KvmPSException>(() => container.GetType1Info()).ErrorId);
        }
    }

    [Fact]
    public void AV1ContainerTakesOneGroup()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTce);
        bed.Vfio.AddGroup(8, true, VfioTestBed.Pci("0001:01:00.0"));
        using (container)
        {
            Assert.Equal("VfioSpaprTceOneGroupPerContainer", Assert.Throws<KvmPSException>(() => container.AttachGroup(8)).ErrorId);
        }
    }

    [Fact]
    public void WithoutTheDdwFlagWindowsAreRefusedBeforeTheIoctl()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            bed.Vfio.MaxDynamicWindows = 0;   // a platform (e.g. a pseries guest without DDW) that reports no DDW
            Assert.False(container.GetSpaprTceInfo().SupportsDynamicWindows);
            var e = Assert.Throws<KvmPSException>(() => container.CreateDmaWindow(16, Window1G));
            Assert.Equal("VfioDdwNotSupported", e.ErrorId);
            Assert.Contains("platform has to support the functionality", e.Message);
            Assert.Empty(bed.Vfio.Containers[0].CreateLevelsTried);
        }
    }

    [Fact]
    public void TheFirstDynamicWindowGoesWhereTheKernelPutsIt()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            VfioDmaWindow window = container.CreateDmaWindow(HostPageShift, 1UL << 40, levels: 2);
            Assert.Equal(1UL << 59, window.StartAddress);
            Assert.Equal(2, window.Levels);
            Assert.False(window.IsDefault);
            Assert.Equal([0UL, 1UL << 59], container.DmaWindows.Select(w => w.StartAddress));
            Assert.Equal(1UL << 59, bed.Vfio.Containers[0].Tables[1]!.Start);
        }
        bed.AssertNoLeaks();
    }

    [Fact]
    public void AThirdWindowIsRefusedAndRemovingTheDefaultMakesRoom()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            VfioDmaWindow big = container.CreateDmaWindow(HostPageShift, 1UL << 40);
            var e = Assert.Throws<KvmPSException>(() => container.CreateDmaWindow(HostPageShift, 1UL << 40));
            Assert.Equal("VfioDmaWindowLimitReached", e.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, e.Kind);

            container.RemoveDmaWindow(0);
            VfioDmaWindow replacement = container.CreateDmaWindow(HostPageShift, 1UL << 34);
            Assert.Equal(0UL, replacement.StartAddress);   // slot 0 again: tce32_start
            Assert.Equal([0UL, 1UL << 59], container.DmaWindows.Select(w => w.StartAddress));
            Assert.Equal(big, container.DmaWindows[1]);
        }
    }

    [Fact]
    public void TheKernelAnswersEnospcForAThirdWindow()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            container.CreateDmaWindow(HostPageShift, 1UL << 40);
            var e = Assert.Throws<KvmIoctlException>(() => CreateRaw(container, 16, 1UL << 30, 1));
            Assert.Equal("VFIO_IOMMU_SPAPR_TCE_CREATE.ENOSPC", e.ErrorId);
        }
    }

    private static long CreateRaw(VfioContainer container, uint shift, ulong size, uint levels, uint argsz = 40)
    {
        var request = new VfioSpaprTceCreateArg { Argsz = argsz, PageShift = shift, WindowSize = size, Levels = levels };
        return container.Descriptor.Ioctl(VfioIoctls.SpaprTceCreate, ref request);
    }

    [Fact]
    public void ArgszTooSmallIsEinval()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            Assert.Equal("VFIO_IOMMU_SPAPR_TCE_CREATE.EINVAL", Assert.Throws<KvmIoctlException>(() => CreateRaw(container, 16, 1UL << 30, 1, argsz: 32)).ErrorId);
            var info = new VfioSpaprTceInfoArg { Argsz = 12 };
            Assert.Equal("VFIO_IOMMU_SPAPR_TCE_GET_INFO.EINVAL",
                Assert.Throws<KvmIoctlException>(() => container.Descriptor.Ioctl(VfioIoctls.SpaprTceGetInfo, ref info)).ErrorId);
            // argsz covering only the dma32 fields: the kernel leaves ddw untouched.
            info = new VfioSpaprTceInfoArg { Argsz = 16, Ddw = new VfioSpaprTceDdwInfoArg { Levels = 99 } };
            container.Descriptor.Ioctl(VfioIoctls.SpaprTceGetInfo, ref info);
            Assert.Equal(99u, info.Ddw.Levels);
        }
    }

    [Fact]
    public void PageShiftOutsideTheMaskIsRefusedBeforeTheIoctl()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            var e = Assert.Throws<KvmPSException>(() => container.CreateDmaWindow(21, 1UL << 40));
            Assert.Equal("VfioPageShiftNotSupported", e.ErrorId);
            Assert.Contains("16M (shift 24)", e.Message);
            Assert.Equal("VfioPageShiftNotSupported", Assert.Throws<KvmPSException>(() => container.CreateDmaWindow(64, 1UL << 40)).ErrorId);
            Assert.Equal("VfioWindowSizeInvalid", Assert.Throws<KvmPSException>(() => container.CreateDmaWindow(HostPageShift, 3UL << 30)).ErrorId);
            Assert.Equal("VfioWindowSizeInvalid", Assert.Throws<KvmPSException>(() => container.CreateDmaWindow(24, 1UL << 20)).ErrorId);
            Assert.Equal("VfioTceLevelsInvalid", Assert.Throws<KvmPSException>(() => container.CreateDmaWindow(HostPageShift, 1UL << 40, levels: 6)).ErrorId);
            Assert.Equal("VfioTceLevelsInvalid", Assert.Throws<KvmPSException>(() => container.CreateDmaWindow(HostPageShift, 1UL << 40, levels: 0)).ErrorId);
            Assert.Empty(bed.Vfio.Containers[0].CreateLevelsTried);
        }
    }

    [Fact]
    public void OmittedLevelsAreEstimatedAndRaisedOnFailure()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            // 4K host: 2^24 entries of 4K pages * 8 bytes = 27 index bits at 20 bits per level -> 2 levels first, then 3.
            // 64K host: 2^20 entries of 64K pages * 8 bytes = 23 bits at 24 bits per level -> 1 level first, then 2.
            int first = HostPageSize == 4096 ? 2 : 1;
            bed.Vfio.FailCreateBelowLevels = (uint)first + 1;
            VfioDmaWindow window = container.CreateDmaWindow(HostPageShift, 1UL << 36);
            Assert.Equal([first, first + 1], bed.Vfio.Containers[0].CreateLevelsTried);
            Assert.Equal(first + 1, window.Levels);
        }
    }

    [Fact]
    public void WhenEveryLevelFailsTheErrorSaysSo()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            bed.Vfio.FailCreateBelowLevels = 10;
            var e = Assert.Throws<KvmIoctlException>(() => container.CreateDmaWindow(HostPageShift, 1UL << 40));
            Assert.Equal("VFIO_IOMMU_SPAPR_TCE_CREATE.ENOMEM", e.ErrorId);
            // 4K host: 2..4 levels (QEMU's (64 - 12) / 12); 64K host: 2 only, as 3 levels of 64K pages reach bit 55.
            int[] tried = HostPageSize == 4096 ? [2, 3, 4] : [2];
            Assert.Equal(tried, bed.Vfio.Containers[0].CreateLevelsTried);
            Assert.Contains(tried.Length > 1 ? "from 2 to 4" : "with 2 levels", e.Message);
            Assert.Single(container.DmaWindows);
        }
    }

    [Theory]
    [InlineData(16, 1UL << 40, 4096, 5, 2, 4)]
    [InlineData(12, 1UL << 31, 4096, 5, 2, 4)]
    [InlineData(12, 1UL << 21, 4096, 5, 1, 4)]
    [InlineData(24, 1UL << 50, 65536, 5, 2, 2)]
    [InlineData(16, 1UL << 40, 4096, 3, 2, 3)]
    [InlineData(12, 1UL << 40, 65536, 0, 2, 3)]
    public void LevelEstimateFollowsQemu(int shift, ulong size, int hostPage, int platformMax, int first, int max) =>
        Assert.Equal((first, max), SpaprTceLevels.Estimate(shift, size, hostPage, platformMax));

    [Fact]
    public void RemoveByStartAddress()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            VfioDmaWindow window = container.CreateDmaWindow(HostPageShift, 1UL << 40);
            var e = Assert.Throws<KvmPSException>(() => container.RemoveDmaWindow(0x1234));
            Assert.Equal("VfioDmaWindowNotFound", e.ErrorId);
            container.RemoveDmaWindow(window);
            Assert.True(window.IsRemoved);
            Assert.Null(bed.Vfio.Containers[0].Tables[1]);
            Assert.Equal("VfioDmaWindowNotFound", Assert.Throws<KvmPSException>(() => container.RemoveDmaWindow(window)).ErrorId);
            // The kernel's own answer for an unknown start address:
            var request = new VfioSpaprTceRemoveArg { Argsz = 16, StartAddr = 1UL << 58 };
            Assert.Equal("VFIO_IOMMU_SPAPR_TCE_REMOVE.EINVAL",
                Assert.Throws<KvmIoctlException>(() => container.Descriptor.Ioctl(VfioIoctls.SpaprTceRemove, ref request)).ErrorId);
        }
    }

    [Fact]
    public void RegisterAndUnregisterNeedTheExactRange()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            VfioMemoryRegistration registration = container.RegisterMemory(0x1000_0000, 0x20_0000);
            Assert.Equal("VfioMemoryAlreadyRegistered", Assert.Throws<KvmPSException>(() => container.RegisterMemory(0x1000_0000, 0x20_0000)).ErrorId);
            Assert.Equal("VfioMemoryRegistrationOverlaps", Assert.Throws<KvmPSException>(() => container.RegisterMemory(0x1010_0000, 0x20_0000)).ErrorId);
            Assert.Equal("VfioMemoryNotPageAligned", Assert.Throws<KvmPSException>(() => container.RegisterMemory(0x1000_0010, 0x1000)).ErrorId);
            Assert.Equal("VfioMemoryNotPageAligned", Assert.Throws<KvmPSException>(() => container.RegisterMemory(0x2000_0000, 0)).ErrorId);
            ulong page = (ulong)HostPageSize;
            Assert.Equal("VfioMemoryRangeWraps", Assert.Throws<KvmPSException>(() => container.RegisterMemory(ulong.MaxValue - page + 1, 2 * page)).ErrorId);

            var e = Assert.Throws<KvmPSException>(() => container.UnregisterMemory(0x1000_0000, 0x10_0000));
            Assert.Equal("VfioMemoryRegistrationNotFound", e.ErrorId);
            Assert.Contains("exactly", e.Message);
            // What the kernel says for a sub-range (mm_iommu_get matches start and size exactly):
            var request = new VfioSpaprRegisterMemoryArg { Argsz = 24, Vaddr = 0x1000_0000, Size = 0x10_0000 };
            Assert.Equal("VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY.ENOENT",
                Assert.Throws<KvmIoctlException>(() => container.Descriptor.Ioctl(VfioIoctls.SpaprUnregisterMemory, ref request)).ErrorId);

            container.UnregisterMemory(registration);
            Assert.True(registration.IsUnregistered);
            Assert.Empty(bed.Vfio.Preregistered);
            Assert.Empty(container.MemoryRegistrations);
        }
    }

    [Fact]
    public void MappingNeedsRegisteredMemoryInsideAWindow()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, _) = bed.Ready(VfioTestBed.SpaprTceV2);
        using KvmPS.Kvm.KvmSession session = bed.Session();
        var vm = session.CreateVm();
        var region = vm.AddMemoryRegion(0, 0x40_0000);
        using (container)
        {
            VfioDmaWindow window = container.CreateDmaWindow(12, 1UL << 36);   // 4K IOMMU pages: the host memory is only 4K-aligned
            Assert.Equal("VfioMemoryNotRegistered", Assert.Throws<KvmPSException>(() => container.MapDma(region, window.StartAddress)).ErrorId);
            VfioMemoryRegistration registration = container.RegisterMemory(region);
            Assert.Same(region, registration.MemoryRegion);
            Assert.Equal("VfioDmaMappingOutsideWindow", Assert.Throws<KvmPSException>(() => container.MapDma(region, 1UL << 58)).ErrorId);
            VfioDmaMapping mapping = container.MapDma(region, window.StartAddress);
            Assert.Equal(((ulong)region.HostAddress, region.Size), (mapping.HostAddress, mapping.Size));
            Assert.Single(bed.Vfio.Containers[0].Mappings);
            Assert.Equal("VfioMemoryStillMapped", Assert.Throws<KvmPSException>(() => container.UnregisterMemory(registration)).ErrorId);
            container.RemoveDmaWindow(window);   // removing the window drops its mappings in the kernel
            Assert.True(mapping.IsUnmapped);
            Assert.Empty(container.DmaMappings);
            container.UnregisterMemory(registration);
        }
        session.Dispose();
        bed.AssertNoLeaks();
    }

    [Fact]
    public void RegistrationsAndWindowsVanishWithTheLastGroup()
    {
        using var bed = VfioTestBed.Power(HostPageSize);
        (VfioContainer container, VfioGroup group) = bed.Ready(VfioTestBed.SpaprTceV2);
        using (container)
        {
            VfioMemoryRegistration registration = container.RegisterMemory(0x1000_0000, 0x1_0000);
            VfioDmaWindow window = container.CreateDmaWindow(HostPageShift, 1UL << 40);
            container.DetachGroup(group);
            Assert.True(registration.IsUnregistered);
            Assert.True(window.IsRemoved);
            Assert.Empty(container.DmaWindows);
            Assert.Empty(bed.Vfio.Preregistered);
        }
    }
}

public sealed class VfioSpaprTestsOn4KHost() : VfioSpaprTests(0x1000);

public sealed class VfioSpaprTestsOn64KHost() : VfioSpaprTests(0x1_0000);
