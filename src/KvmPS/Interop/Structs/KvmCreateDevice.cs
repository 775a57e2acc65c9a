using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_create_device.</summary>
[CStruct("kvm_create_device")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmCreateDevice
{
    public uint Type;
    public uint Fd;
    public uint Flags;
}

/// <summary>struct kvm_device_attr.</summary>
[CStruct("kvm_device_attr")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmDeviceAttr
{
    public uint Flags;
    public uint Group;
    public ulong Attr;
    public ulong Addr;
}
