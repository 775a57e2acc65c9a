using System.Runtime.InteropServices;
using KvmPS.Interop;
using KvmPS.Interop.Abi;

namespace KvmPS.Kvm;

/// <summary>
/// The vCPU's kvm_run mapping, read in place (no copy) at the offsets the per-architecture layout gives.
/// Values are in the host's byte order, as the kernel writes them.
/// </summary>
internal sealed class KvmRunPage
{
    private readonly MemoryMapping _mapping;
    private readonly CStructLayout _layout;
    private readonly Dictionary<string, int> _offsets = new(StringComparer.Ordinal);

    public KvmRunPage(MemoryMapping mapping, CpuArchitecture arch)
    {
        _mapping = mapping;
        _layout = KvmRunLayout.KvmRun.LayoutOn(arch);
        if ((ulong)_layout.Size > mapping.Length)
        {
            throw new InvalidOperationException($"KVM_GET_VCPU_MMAP_SIZE ({mapping.Length}) is smaller than struct kvm_run ({_layout.Size}).");
        }
    }

    public MemoryMapping Mapping => _mapping;

    public int OffsetOf(string field)
    {
        lock (_offsets)
        {
            if (!_offsets.TryGetValue(field, out int offset))
            {
                _offsets[field] = offset = _layout.OffsetOf(field);
            }
            return offset;
        }
    }

    public byte U8(string field) => Read<byte>((ulong)OffsetOf(field));
    public ushort U16(string field) => Read<ushort>((ulong)OffsetOf(field));
    public uint U32(string field) => Read<uint>((ulong)OffsetOf(field));
    public ulong U64(string field) => Read<ulong>((ulong)OffsetOf(field));

    public ulong[] U64Array(string field, int count)
    {
        using MappingLease lease = _mapping.Lease();
        return MemoryMarshal.Cast<byte, ulong>(lease.Slice((ulong)OffsetOf(field), count * sizeof(ulong))).ToArray();
    }

    /// <summary>A copy of <paramref name="length"/> bytes of a field.</summary>
    public byte[] Bytes(string field, int length) => BytesAt((ulong)OffsetOf(field), length);

    /// <summary>A copy of the bytes at an offset the kernel gave (io.data_offset), checked against the mapping.</summary>
    public byte[] BytesAt(ulong offset, int length)
    {
        using MappingLease lease = _mapping.Lease();
        return lease.Slice(offset, length).ToArray();
    }

    public void SetBytes(string field, ReadOnlySpan<byte> data) => SetBytesAt((ulong)OffsetOf(field), data);

    public void SetBytesAt(ulong offset, ReadOnlySpan<byte> data)
    {
        using MappingLease lease = _mapping.Lease();
        data.CopyTo(lease.Slice(offset, data.Length));
    }

    public void SetU8(string field, byte value) => Write((ulong)OffsetOf(field), value);
    public void SetU64(string field, ulong value) => Write((ulong)OffsetOf(field), value);

    private T Read<T>(ulong offset) where T : unmanaged
    {
        using MappingLease lease = _mapping.Lease();
        return lease.At<T>(offset);
    }

    private void Write<T>(ulong offset, T value) where T : unmanaged
    {
        using MappingLease lease = _mapping.Lease();
        lease.At<T>(offset) = value;
    }
}
