using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.mmio (KVM_EXIT_MMIO): for a read, the next KVM_RUN completes the guest's load from data.</summary>
[CStruct("kvm_run.mmio")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunMmio
{
    public ulong PhysAddr;
    public fixed byte Data[8];
    public uint Len;
    public byte IsWrite;
}
