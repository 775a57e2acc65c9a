using System.Runtime.InteropServices;

namespace KvmPS.Kvm;

/// <summary>struct kvm_clock_data (checked against the layout by the ABI tests).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmClockData
{
    public ulong Clock;
    public uint Flags;
    public uint Pad0;
    public ulong Realtime;
    public ulong HostTsc;
    public fixed uint Pad[4];
}
