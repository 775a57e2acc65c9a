using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_dirty_gfn: one entry of a vCPU's dirty ring (api.rst 8.29, KVM_CAP_DIRTY_LOG_RING).</summary>
[CStruct("kvm_dirty_gfn")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmDirtyGfn
{
    /// <summary>KVM_DIRTY_GFN_F_DIRTY: KVM published the entry.</summary>
    public const uint FlagDirty = 1;

    /// <summary>KVM_DIRTY_GFN_F_RESET: userspace harvested it; KVM_RESET_DIRTY_RINGS may recycle it.</summary>
    public const uint FlagReset = 2;

    public uint Flags;
    /// <summary>Address space id in the upper 16 bits, memory slot id in the lower 16.</summary>
    public uint Slot;
    /// <summary>The page's index within the slot.</summary>
    public ulong Offset;
}
