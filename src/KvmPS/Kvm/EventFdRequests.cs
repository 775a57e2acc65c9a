using System.Runtime.InteropServices;

namespace KvmPS.Kvm;

/// <summary>struct kvm_irqfd (checked against the layout by the ABI tests).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmIrqfdRequest
{
    public const uint FlagDeassign = 1 << 0;
    public const uint FlagResample = 1 << 1;

    public uint Fd;
    public uint Gsi;
    public uint Flags;
    public uint ResampleFd;
    public fixed byte Pad[16];
}

/// <summary>struct kvm_ioeventfd (checked against the layout by the ABI tests).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmIoeventfdRequest
{
    public const uint FlagDatamatch = 1 << 0;
    public const uint FlagPio = 1 << 1;
    public const uint FlagDeassign = 1 << 2;

    public ulong DataMatch;
    public ulong Addr;
    public uint Len;
    public int Fd;
    public uint Flags;
    public fixed byte Pad[36];
}
