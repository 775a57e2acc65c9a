using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>
/// kvm_run.memory_fault (KVM_EXIT_MEMORY_FAULT, Linux 6.8, KVM_CAP_MEMORY_FAULT_INFO): the guest touched gpa..gpa+size
/// in a way the memory attributes forbid, e.g. a private access to shared guest_memfd memory (flags bit 3).
/// </summary>
[CStruct("kvm_run.memory_fault")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmRunMemoryFault
{
    /// <summary>KVM_MEMORY_EXIT_FLAG_PRIVATE.</summary>
    public const ulong FlagPrivate = 1UL << 3;

    public ulong Flags;
    public ulong Gpa;
    public ulong Size;
}
