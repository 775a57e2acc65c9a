using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.io (KVM_EXIT_IO): size * count bytes at data_offset from the start of kvm_run; for a read (direction 0) the next KVM_RUN copies them into the guest.</summary>
[CStruct("kvm_run.io")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunIo
{
    public byte Direction;
    public byte Size;
    public ushort Port;
    public uint Count;
    public ulong DataOffset;
}
