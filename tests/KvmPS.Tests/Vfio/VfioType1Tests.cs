using KvmPS.Interop;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;
using KvmPS.Kvm;
using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

public sealed class VfioType1Tests
{
    [Fact]
    public void InfoDecodesThePageSizes()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, _) = bed.Ready(VfioTestBed.Type1v2);
        using (container)
        {
            var info = Assert.IsType<VfioType1IommuInfo>(container.GetIommuInfo());
            Assert.Equal([12, 21, 30], info.PageSizes.Select(p => p.Shift));
            Assert.Equal(4096UL, info.MinimumPageSize);
            Assert.Equal(0, info.CapabilityChainSize);
            Assert.Equal("VfioIommuTypeMismatch", Assert.Throws<KvmPSException>(() => container.GetSpaprTceInfo()).ErrorId);
        }
    }

    [Fact]
    public void ALargerArgszFromTheKernelIsTheIgnoredCapabilityChain()
    {
        using var bed = VfioTestBed.X86();
        bed.Vfio.Type1CapabilityBytes = 40;
        (VfioContainer container, _) = bed.Ready(VfioTestBed.Type1);
        using (container)
        {
            VfioType1IommuInfo info = container.GetType1Info();
            Assert.Equal(40, info.CapabilityChainSize);
            Assert.Equal(3u, info.Flags);
            Assert.Equal(3, info.PageSizes.Count);
        }
    }

    [Fact]
    public void ArgszTooSmallIsEinval()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, _) = bed.Ready(VfioTestBed.Type1v2);
        using (container)
        {
            var info = new VfioIommuType1InfoArg { Argsz = 8 };
            Assert.Equal("VFIO_IOMMU_GET_INFO.EINVAL",
                Assert.Throws<KvmIoctlException>(() => container.Descriptor.Ioctl(VfioIoctls.IommuGetInfo, ref info)).ErrorId);
        }
    }

    [Fact]
    public void MapAndUnmapAGuestMemoryRegion()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, _) = bed.Ready(VfioTestBed.Type1v2);
        using (KvmSession session = bed.Session())
        using (container)
        {
            KvmVm vm = session.CreateVm();
            GuestMemoryRegion region = vm.AddMemoryRegion(0x10_0000, 0x20_0000);
            VfioDmaMapping mapping = container.MapDma(region);
            Assert.Equal((0x10_0000UL, 0x20_0000UL, (ulong)region.HostAddress), (mapping.Iova, mapping.Size, mapping.HostAddress));
            Assert.True(mapping.Readable && mapping.Writable);
            var kernelMapping = Assert.Single(bed.Vfio.Containers[0].Mappings);
            Assert.Equal((0x10_0000UL, 0x20_0000UL, (ulong)region.HostAddress, 3u), kernelMapping);

            Assert.Equal("VfioDmaMappingOverlaps", Assert.Throws<KvmPSException>(() => container.MapDma(region, 0x20_0000)).ErrorId);
            VfioDmaMapping readOnly = container.MapDma(region, 0x1_0000_0000, readOnly: true);
            Assert.False(readOnly.Writable);
            Assert.Equal(1u, bed.Vfio.Containers[0].Mappings[1].Flags);

            container.UnmapDma(mapping);
            Assert.True(mapping.IsUnmapped);
            Assert.Equal("VfioDmaMappingNotFound", Assert.Throws<KvmPSException>(() => container.UnmapDma(mapping)).ErrorId);
            container.UnmapDma(readOnly);
            Assert.Empty(bed.Vfio.Containers[0].Mappings);
        }
        bed.AssertNoLeaks();
    }

    [Fact]
    public void MisalignedOrAccessLessMappingsAreRefusedBeforeTheIoctl()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, _) = bed.Ready(VfioTestBed.Type1v2);
        using (container)
        {
            Assert.Equal("VfioDmaMappingNotAligned", Assert.Throws<KvmPSException>(() => container.MapDma(0x10_0000, 0x1000, 0x800, true, true)).ErrorId);
            Assert.Equal("VfioMemoryNotPageAligned", Assert.Throws<KvmPSException>(() => container.MapDma(0x10_0001, 0x1000, 0, true, true)).ErrorId);
            Assert.Equal("VfioDmaMappingNeedsAccess", Assert.Throws<KvmPSException>(() => container.MapDma(0x10_0000, 0x1000, 0, false, false)).ErrorId);
            Assert.Equal("VfioDmaRangeWraps", Assert.Throws<KvmPSException>(() => container.MapDma(0x10_0000, 0x2000, ulong.MaxValue - 0xFFF, true, true)).ErrorId);
            Assert.Equal("VfioRequiresSpaprTceV2", Assert.Throws<KvmPSException>(() => container.RegisterMemory(0x10_0000, 0x1000)).ErrorId);
            Assert.Empty(bed.Vfio.Containers[0].Mappings);
        }
    }

    [Fact]
    public void TheKernelAnswersEexistForAnOverlap()
    {
        using var bed = VfioTestBed.X86();
        (VfioContainer container, _) = bed.Ready(VfioTestBed.Type1v2);
        using (container)
        {
            container.MapDma(0x10_0000, 0x2000, 0, true, true);
            var request = new VfioDmaMapArg { Argsz = 32, Flags = 3, Vaddr = 0x20_0000, Iova = 0x1000, Size = 0x1000 };
            Assert.Equal("VFIO_IOMMU_MAP_DMA.EEXIST",
                Assert.Throws<KvmIoctlException>(() => container.Descriptor.Ioctl(VfioIoctls.IommuMapDma, ref request)).ErrorId);
        }
    }
}
