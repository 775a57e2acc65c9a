using System.Runtime.InteropServices;

namespace KvmPS.Kvm;

/// <summary>struct kvm_create_device.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KvmCreateDevice
{
    public uint Type;
    public uint Fd;
    public uint Flags;
}

/// <summary>struct kvm_device_attr.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KvmDeviceAttr
{
    public uint Flags;
    public uint Group;
    public ulong Attr;
    public ulong Addr;
}
