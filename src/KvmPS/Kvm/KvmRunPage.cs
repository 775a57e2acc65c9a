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

    public byte U8(string field) => _mapping.At<byte>((ulong)OffsetOf(field));
    public ushort U16(string field) => _mapping.At<ushort>((ulong)OffsetOf(field));
    public uint U32(string field) => _mapping.At<uint>((ulong)OffsetOf(field));
    public ulong U64(string field) => _mapping.At<ulong>((ulong)OffsetOf(field));

    public ulong[] U64Array(string field, int count) =>
        MemoryMarshal.Cast<byte, ulong>(_mapping.Slice((ulong)OffsetOf(field), count * sizeof(ulong))).ToArray();

    public Span<byte> Bytes(string field, int length) => _mapping.Slice((ulong)OffsetOf(field), length);

    /// <summary>Bytes at an offset the kernel gave (io.data_offset), checked against the mapping.</summary>
    public Span<byte> BytesAt(ulong offset, int length) => _mapping.Slice(offset, length);

    public void SetU8(string field, byte value) => _mapping.At<byte>((ulong)OffsetOf(field)) = value;
    public void SetU64(string field, ulong value) => _mapping.At<ulong>((ulong)OffsetOf(field)) = value;
}
