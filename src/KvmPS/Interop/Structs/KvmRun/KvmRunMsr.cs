using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.msr (KVM_EXIT_X86_RDMSR, KVM_EXIT_X86_WRMSR): userspace sets error to inject #GP, and data for a read.</summary>
[CStruct("kvm_run.msr")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunMsr
{
    public byte Error;
    public fixed byte Pad[7];
    public uint Reason;
    public uint Index;
    public ulong Data;
}
