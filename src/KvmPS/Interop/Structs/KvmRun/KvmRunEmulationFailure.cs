using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>kvm_run.emulation_failure: the overlay of internal for KVM_INTERNAL_ERROR_EMULATION. insn_size and insn_bytes are valid only when flags has KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES (bit 0).</summary>
[CStruct("kvm_run.emulation_failure")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmRunEmulationFailure
{
    public uint Suberror;
    public uint Ndata;
    public ulong Flags;
    public byte InsnSize;
    public fixed byte InsnBytes[15];
}
