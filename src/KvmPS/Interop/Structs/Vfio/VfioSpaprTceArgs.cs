using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct vfio_iommu_spapr_tce_ddw_info: the ddw member of vfio_iommu_spapr_tce_info.</summary>
[CStruct("vfio_iommu_spapr_tce_ddw_info")]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioSpaprTceDdwInfoArg
{
    public ulong Pgsizes;
    public uint MaxDynamicWindowsSupported;
    public uint Levels;
}

/// <summary>struct vfio_iommu_spapr_tce_info (VFIO_IOMMU_SPAPR_TCE_GET_INFO).</summary>
[CStruct("vfio_iommu_spapr_tce_info")]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioSpaprTceInfoArg
{
    public uint Argsz;
    public uint Flags;
    public uint Dma32WindowStart;
    public uint Dma32WindowSize;
    public VfioSpaprTceDdwInfoArg Ddw;
}

/// <summary>struct vfio_iommu_spapr_register_memory: VFIO_IOMMU_SPAPR_REGISTER_MEMORY and UNREGISTER_MEMORY.</summary>
[CStruct("vfio_iommu_spapr_register_memory")]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioSpaprRegisterMemoryArg
{
    public uint Argsz;
    public uint Flags;
    public ulong Vaddr;
    public ulong Size;
}

/// <summary>struct vfio_iommu_spapr_tce_create (VFIO_IOMMU_SPAPR_TCE_CREATE); the kernel writes start_addr.</summary>
[CStruct("vfio_iommu_spapr_tce_create")]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioSpaprTceCreateArg
{
    public uint Argsz;
    public uint Flags;
    public uint PageShift;
    [CName("__resv1")] public uint Resv1;
    public ulong WindowSize;
    public uint Levels;
    [CName("__resv2")] public uint Resv2;
    public ulong StartAddr;
}

/// <summary>struct vfio_iommu_spapr_tce_remove (VFIO_IOMMU_SPAPR_TCE_REMOVE).</summary>
[CStruct("vfio_iommu_spapr_tce_remove")]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioSpaprTceRemoveArg
{
    public uint Argsz;
    public uint Flags;
    public ulong StartAddr;
}
