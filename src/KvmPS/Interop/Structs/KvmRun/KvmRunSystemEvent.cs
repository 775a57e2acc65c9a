using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.system_event (KVM_EXIT_SYSTEM_EVENT); flags is the old name of data[0], data holds ndata words.</summary>
[CStruct("kvm_run.system_event")]
[StructLayout(LayoutKind.Explicit)]
internal unsafe struct KvmRunSystemEvent
{
    [FieldOffset(0)] public uint Type;
    [FieldOffset(4)] public uint Ndata;
    [FieldOffset(8)] public ulong Flags;
    [FieldOffset(8)] public fixed ulong Data[16];
}
