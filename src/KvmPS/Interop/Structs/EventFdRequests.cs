using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_irqfd.</summary>
[CStruct("kvm_irqfd")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmIrqfdRequest
{
    public const uint FlagDeassign = 1 << 0;
    public const uint FlagResample = 1 << 1;

    public uint Fd;
    public uint Gsi;
    public uint Flags;
    [CName("resamplefd")] public uint ResampleFd;
    public fixed byte Pad[16];
}

/// <summary>struct kvm_ioeventfd.</summary>
[CStruct("kvm_ioeventfd")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmIoeventfdRequest
{
    public const uint FlagDatamatch = 1 << 0;
    public const uint FlagPio = 1 << 1;
    public const uint FlagDeassign = 1 << 2;

    [CName("datamatch")] public ulong DataMatch;
    public ulong Addr;
    public uint Len;
    public int Fd;
    public uint Flags;
    public fixed byte Pad[36];
}
