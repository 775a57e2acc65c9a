using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct vfio_iommu_type1_info (VFIO_IOMMU_GET_INFO); the capability chain that may follow is not declared.</summary>
[CStruct("vfio_iommu_type1_info")]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioIommuType1InfoArg
{
    public uint Argsz;
    public uint Flags;
    public ulong IovaPgsizes;
    public uint CapOffset;
    private readonly uint _padding;
}

/// <summary>struct vfio_iommu_type1_dma_map: VFIO_IOMMU_MAP_DMA of every IOMMU type, sPAPR included.</summary>
[CStruct("vfio_iommu_type1_dma_map")]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioDmaMapArg
{
    public uint Argsz;
    public uint Flags;
    public ulong Vaddr;
    public ulong Iova;
    public ulong Size;
}

/// <summary>struct vfio_iommu_type1_dma_unmap: VFIO_IOMMU_UNMAP_DMA; data[] is used only with the dirty-bitmap flag.</summary>
[CStruct("vfio_iommu_type1_dma_unmap")]
[CFlexibleArray("data", typeof(byte))]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioDmaUnmapArg
{
    public uint Argsz;
    public uint Flags;
    public ulong Iova;
    public ulong Size;
}
