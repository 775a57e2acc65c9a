using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_clock_data.</summary>
[CStruct("kvm_clock_data")]
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
