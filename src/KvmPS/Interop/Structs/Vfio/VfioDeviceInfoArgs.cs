using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct vfio_device_info (VFIO_DEVICE_GET_INFO).</summary>
[CStruct("vfio_device_info")]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioDeviceInfoArg
{
    public uint Argsz;
    public uint Flags;
    public uint NumRegions;
    public uint NumIrqs;
    public uint CapOffset;
}

/// <summary>struct vfio_region_info (VFIO_DEVICE_GET_REGION_INFO).</summary>
[CStruct("vfio_region_info")]
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

/// <summary>struct vfio_irq_info (VFIO_DEVICE_GET_IRQ_INFO).</summary>
[CStruct("vfio_irq_info")]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioIrqInfoArg
{
    public uint Argsz;
    public uint Flags;
    public uint Index;
    public uint Count;
}
