using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.hypercall (KVM_EXIT_HYPERCALL), as Linux 6.1 declares it; later headers overlay <c>__u64 flags</c> on longmode and pad.</summary>
[CStruct("kvm_run.hypercall")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunHypercall
{
    public ulong Nr;
    public fixed ulong Args[6];
    public ulong Ret;
    public uint Longmode;
    public uint Pad;
}
