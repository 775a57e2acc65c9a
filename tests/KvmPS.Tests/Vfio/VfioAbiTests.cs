using System.Runtime.CompilerServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Ioctls;
using KvmPS.Interop.Structs;
using KvmPS.Vfio;

namespace KvmPS.Tests.Vfio;

/// <summary>
/// The VFIO ioctls and structs against values printed by a C probe compiled with each architecture's cross gcc
/// (sizeof/offsetof/request numbers from linux/vfio.h and linux/kvm.h): all four agree except powerpc's _IO encoding.
/// </summary>
public sealed class VfioAbiTests
{
    public static TheoryData<CpuArchitecture> Architectures => [.. CpuArchitectures.All];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void StructLayoutsMatchTheHeaders(CpuArchitecture arch)
    {
        (KernelStruct Struct, int Size, (string Field, int Offset)[] Fields)[] expected =
        [
            (VfioStructs.GroupStatus, 8, [("flags", 4)]),
            (VfioStructs.DeviceInfo, 20, [("num_regions", 8), ("num_irqs", 12), ("cap_offset", 16)]),
            (VfioStructs.RegionInfo, 32, [("index", 8), ("size", 16), ("offset", 24)]),
            (VfioStructs.IrqInfo, 16, [("index", 8), ("count", 12)]),
            (VfioStructs.IommuType1Info, 24, [("flags", 4), ("iova_pgsizes", 8), ("cap_offset", 16)]),
            (VfioStructs.IommuType1DmaMap, 32, [("vaddr", 8), ("iova", 16), ("size", 24)]),
            (VfioStructs.IommuType1DmaUnmap, 24, [("iova", 8), ("size", 16), ("data", 24)]),
            (VfioStructs.SpaprTceDdwInfo, 16, [("max_dynamic_windows_supported", 8), ("levels", 12)]),
            (VfioStructs.SpaprTceInfo, 32, [("dma32_window_start", 8), ("dma32_window_size", 12), ("ddw.pgsizes", 16),
                ("ddw.max_dynamic_windows_supported", 24), ("ddw.levels", 28)]),
            (VfioStructs.SpaprRegisterMemory, 24, [("vaddr", 8), ("size", 16)]),
            (VfioStructs.SpaprTceCreate, 40, [("page_shift", 8), ("window_size", 16), ("levels", 24), ("start_addr", 32)]),
            (VfioStructs.SpaprTceRemove, 16, [("start_addr", 8)]),
            (VfioStructs.KvmVfioSpaprTce, 8, [("tablefd", 4)]),
        ];
        foreach (var (kernelStruct, size, fields) in expected)
        {
            Assert.Equal(size, kernelStruct.SizeOn(arch));
            foreach (var (field, offset) in fields)
            {
                Assert.Equal(offset, kernelStruct.LayoutOn(arch).OffsetOf(field));
            }
            foreach (string field in kernelStruct.CheckedFieldsOn(arch))
            {
                _ = kernelStruct.LayoutOn(arch).OffsetOf(field);
            }
        }
    }

    [Theory]
    [InlineData("VFIO_GET_API_VERSION", 0)]
    [InlineData("VFIO_CHECK_EXTENSION", 1)]
    [InlineData("VFIO_SET_IOMMU", 2)]
    [InlineData("VFIO_GROUP_GET_STATUS", 3)]
    [InlineData("VFIO_GROUP_SET_CONTAINER", 4)]
    [InlineData("VFIO_GROUP_UNSET_CONTAINER", 5)]
    [InlineData("VFIO_GROUP_GET_DEVICE_FD", 6)]
    [InlineData("VFIO_DEVICE_GET_INFO", 7)]
    [InlineData("VFIO_DEVICE_GET_REGION_INFO", 8)]
    [InlineData("VFIO_DEVICE_GET_IRQ_INFO", 9)]
    [InlineData("VFIO_DEVICE_RESET", 11)]
    [InlineData("VFIO_IOMMU_GET_INFO", 12)]
    [InlineData("VFIO_IOMMU_SPAPR_TCE_GET_INFO", 12)]
    [InlineData("VFIO_IOMMU_MAP_DMA", 13)]
    [InlineData("VFIO_IOMMU_UNMAP_DMA", 14)]
    [InlineData("VFIO_IOMMU_ENABLE", 15)]
    [InlineData("VFIO_IOMMU_SPAPR_REGISTER_MEMORY", 17)]
    [InlineData("VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY", 18)]
    [InlineData("VFIO_IOMMU_SPAPR_TCE_CREATE", 19)]
    [InlineData("VFIO_IOMMU_SPAPR_TCE_REMOVE", 20)]
    public void RequestNumbersMatchTheCrossCompiledHeaders(string name, int offsetFromBase)
    {
        // AbiCatalog reflects over every type, which needs System.Management.Automation (absent in the test host); read VfioIoctls directly.
        IoctlDefinition ioctl = typeof(VfioIoctls).GetFields().Select(f => f.GetValue(null)).OfType<IoctlDefinition>().Single(i => i.Name == name);
        Assert.Equal(IoctlDirection.None, ioctl.Direction);
        // x86_64, aarch64, s390x: _IO(';', 100 + n) = 0x3B64 + n; powerpc adds IOC_VOID (0x20000000).
        Assert.Equal(15204u + (uint)offsetFromBase, ioctl.RequestOn(CpuArchitecture.X86_64));
        Assert.Equal(15204u + (uint)offsetFromBase, ioctl.RequestOn(CpuArchitecture.Aarch64));
        Assert.Equal(15204u + (uint)offsetFromBase, ioctl.RequestOn(CpuArchitecture.S390x));
        Assert.Equal(536886116u + (uint)offsetFromBase, ioctl.RequestOn(CpuArchitecture.PowerPC64LE));
    }

    [Fact]
    public void StructPassingIoctlsNameTheirStructForTheDump()
    {
        Assert.Same(VfioStructs.SpaprTceCreate, VfioIoctls.SpaprTceCreate.StructArgument);
        Assert.Same(VfioStructs.SpaprRegisterMemory, VfioIoctls.SpaprUnregisterMemory.StructArgument);
        Assert.Equal(0, VfioIoctls.SpaprTceCreate.EncodedSizeOn(CpuArchitecture.PowerPC64LE));
        Assert.Equal(20, typeof(VfioIoctls).GetFields().Count(f => typeof(IoctlDefinition).IsAssignableFrom(f.FieldType)));
    }

    [Fact]
    public void KvmVfioConstantsMatchTheHeaders()
    {
        Assert.Equal(4u, KvmVfioAttributes.DeviceType);
        Assert.Equal(1u, KvmVfioAttributes.Group);
        Assert.Equal(1ul, KvmVfioAttributes.GroupAdd);
        Assert.Equal(2ul, KvmVfioAttributes.GroupDel);
        Assert.Equal(3ul, KvmVfioAttributes.GroupSetSpaprTce);
        Assert.Equal([1, 2, 3, 7], Enum.GetValues<VfioIommuType>().Select(t => (int)t).Order());
    }
}
