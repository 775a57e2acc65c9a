using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm.Ppc;

/// <summary>kvm_ppc_smmu_info.flags (api.txt 4.74).</summary>
[JsonConverter(typeof(StringEnumConverter))]
[Flags]
public enum PpcSmmuFlags : ulong
{
    None = 0,
    /// <summary>KVM_PPC_PAGE_SIZES_REAL: guest page sizes must fit the pages backing guest memory.</summary>
    PageSizesReal = 1,
    /// <summary>KVM_PPC_1T_SEGMENTS: 1 TiB segments as well as 256 MiB ones.</summary>
    OneTerabyteSegments = 2,
    /// <summary>KVM_PPC_NO_HASH: no hashed-page-table guests; radix only.</summary>
    NoHash = 4,
}

/// <summary>An actual page size a segment base page size allows, with its encoding in the HPTE (&gt;&gt; 12).</summary>
public sealed record PpcPageSize(int PageShift, uint PteEncoding)
{
    public ulong Size => 1UL << PageShift;
}

/// <summary>A segment base page size, its SLB encoding and the actual page sizes it allows.</summary>
public sealed record PpcSegmentPageSize(int PageShift, uint SlbEncoding, IReadOnlyList<PpcPageSize> PageSizes)
{
    public ulong Size => 1UL << PageShift;
}

/// <summary>KVM_PPC_GET_SMMU_INFO decoded: the "Server" MMU the host's KVM emulates, for the guest's device tree.</summary>
public sealed record PpcSmmuInfo(int VmId, PpcSmmuFlags Flags, uint SlbSize, ushort DataKeys, ushort InstructionKeys,
    IReadOnlyList<PpcSegmentPageSize> SegmentPageSizes);
