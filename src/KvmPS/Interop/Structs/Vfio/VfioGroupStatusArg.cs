using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct vfio_group_status (VFIO_GROUP_GET_STATUS).</summary>
[CStruct("vfio_group_status")]
[StructLayout(LayoutKind.Sequential)]
internal struct VfioGroupStatusArg
{
    public uint Argsz;
    public uint Flags;
}
