using System.Runtime.InteropServices;

namespace KvmPS.Vfio;

// Blittable mirrors of the linux/vfio.h structs declared in Interop/Abi/VfioStructs.cs (sizes checked by the tests).

/// <summary>struct vfio_group_status.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioGroupStatusArg
{
    public uint Argsz;
    public uint Flags;
}

/// <summary>struct vfio_device_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioDeviceInfoArg
{
    public uint Argsz;
    public uint Flags;
    public uint NumRegions;
    public uint NumIrqs;
    public uint CapOffset;
}

/// <summary>struct vfio_region_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioRegionInfoArg
{
    public uint Argsz;
    public uint Flags;
    public uint Index;
    public uint CapOffset;
    public ulong Size;
    public ulong Offset;
}

/// <summary>struct vfio_irq_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioIrqInfoArg
{
    public uint Argsz;
    public uint Flags;
    public uint Index;
    public uint Count;
}

/// <summary>struct vfio_iommu_type1_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioIommuType1InfoArg
{
    public uint Argsz;
    public uint Flags;
    public ulong IovaPgsizes;
    public uint CapOffset;
    private readonly uint _padding;
}

/// <summary>struct vfio_iommu_type1_dma_map.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioDmaMapArg
{
    public uint Argsz;
    public uint Flags;
    public ulong Vaddr;
    public ulong Iova;
    public ulong Size;
}

/// <summary>struct vfio_iommu_type1_dma_unmap without its flexible data[] (used only with the dirty-bitmap flag).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioDmaUnmapArg
{
    public uint Argsz;
    public uint Flags;
    public ulong Iova;
    public ulong Size;
}

/// <summary>struct vfio_iommu_spapr_tce_ddw_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioSpaprTceDdwInfoArg
{
    public ulong Pgsizes;
    public uint MaxDynamicWindowsSupported;
    public uint Levels;
}

/// <summary>struct vfio_iommu_spapr_tce_info.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioSpaprTceInfoArg
{
    public uint Argsz;
    public uint Flags;
    public uint Dma32WindowStart;
    public uint Dma32WindowSize;
    public VfioSpaprTceDdwInfoArg Ddw;
}

/// <summary>struct vfio_iommu_spapr_register_memory.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioSpaprRegisterMemoryArg
{
    public uint Argsz;
    public uint Flags;
    public ulong Vaddr;
    public ulong Size;
}

/// <summary>struct vfio_iommu_spapr_tce_create.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioSpaprTceCreateArg
{
    public uint Argsz;
    public uint Flags;
    public uint PageShift;
    public uint Resv1;
    public ulong WindowSize;
    public uint Levels;
    public uint Resv2;
    public ulong StartAddr;
}

/// <summary>struct vfio_iommu_spapr_tce_remove.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VfioSpaprTceRemoveArg
{
    public uint Argsz;
    public uint Flags;
    public ulong StartAddr;
}

/// <summary>struct kvm_vfio_spapr_tce.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KvmVfioSpaprTceArg
{
    public int GroupFd;
    public int TableFd;
}
