using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>
/// struct kvm_userspace_memory_region2 (Linux 6.8, api.rst 4.141): kvm_userspace_memory_region plus a guest_memfd
/// and the offset in it. Newer than the installed 6.1 headers: see tests/KvmPS.Abi.Tests/NewerThanHeaders.cs.
/// </summary>
[CStruct("kvm_userspace_memory_region2")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmUserspaceMemoryRegion2
{
    /// <summary>KVM_MEM_GUEST_MEMFD: guest_memfd and guest_memfd_offset are valid.</summary>
    public const uint FlagGuestMemfd = 1 << 2;

    public uint Slot;
    public uint Flags;
    public ulong GuestPhysAddr;
    public ulong MemorySize;
    public ulong UserspaceAddr;
    public ulong GuestMemfdOffset;
    public uint GuestMemfd;
    public uint Pad1;
    public fixed ulong Pad2[14];
}

/// <summary>struct kvm_create_guest_memfd (Linux 6.8, api.rst 4.142); newer than the installed headers like the above.</summary>
[CStruct("kvm_create_guest_memfd")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmCreateGuestMemfd
{
    public ulong Size;
    public ulong Flags;
    public fixed ulong Reserved[6];
}
