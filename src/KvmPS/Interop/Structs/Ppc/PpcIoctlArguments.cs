using System.Runtime.InteropServices;
using KvmPS.Interop.Abi;

namespace KvmPS.Interop.Structs;

/// <summary>struct kvm_create_spapr_tce (powerpc asm/kvm.h): the LIOBN is 64 bits wide, the window is in bytes.</summary>
[CStruct("kvm_create_spapr_tce")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmCreateSpaprTce
{
    public ulong Liobn;
    public uint WindowSize;
}

/// <summary>struct kvm_create_spapr_tce_64: offset and size count IOMMU pages of 1 &lt;&lt; page_shift bytes.</summary>
[CStruct("kvm_create_spapr_tce_64")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmCreateSpaprTce64
{
    public ulong Liobn;
    public uint PageShift;
    public uint Flags;
    public ulong Offset;
    public ulong Size;
}

/// <summary>struct kvm_allocate_rma.</summary>
[CStruct("kvm_allocate_rma")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmAllocateRma
{
    public ulong RmaSize;
}

/// <summary>struct kvm_ppc_pvinfo.</summary>
[CStruct("kvm_ppc_pvinfo")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmPpcPvinfo
{
    public uint Flags;
    public fixed uint Hcall[4];
    public fixed byte Pad[108];
}

/// <summary>struct kvm_config_tlb, passed by address in args[0] of KVM_ENABLE_CAP(KVM_CAP_SW_TLB).</summary>
[CStruct("kvm_config_tlb")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmConfigTlb
{
    public ulong Params;
    public ulong Array;
    public uint MmuType;
    public uint ArrayLen;
}

/// <summary>struct kvm_book3e_206_tlb_params, pointed to by kvm_config_tlb.params.</summary>
[CStruct("kvm_book3e_206_tlb_params")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KvmBook3e206TlbParams
{
    public fixed uint TlbSizes[4];
    public fixed uint TlbWays[4];
    public fixed uint Reserved[8];
}

/// <summary>struct kvm_book3e_206_tlb_entry, one element of the shared TLB array.</summary>
[CStruct("kvm_book3e_206_tlb_entry")]
[StructLayout(LayoutKind.Sequential)]
public struct PpcTlbEntry
{
    public uint Mas8;
    public uint Mas1;
    public ulong Mas2;
    public ulong Mas7_3;
}

/// <summary>struct kvm_dirty_tlb.</summary>
[CStruct("kvm_dirty_tlb")]
[StructLayout(LayoutKind.Sequential)]
internal struct KvmDirtyTlb
{
    public ulong Bitmap;
    public uint NumDirty;
}
