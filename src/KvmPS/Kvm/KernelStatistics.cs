using System.Buffers.Binary;
using System.Text;
using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm;

/// <summary>
/// Reads a VM's or vCPU's binary statistics (api.rst, KVM_GET_STATS_FD, KVM_CAP_BINARY_STATS_FD): the descriptor's
/// header gives the offsets of the descriptors (each a kvm_stats_desc followed by a name_size-byte name) and of the
/// data (u64 values at each descriptor's offset). The data is read in one pread() at its offset, so the values are
/// one snapshot, and the same descriptor serves every later read. Values are in the host's byte order.
/// </summary>
internal static class KernelStatistics
{
    private const uint TypeMask = 0xF, UnitMask = 0xF0, BaseMask = 0xF00;

    /// <summary>Opens a statistics descriptor on <paramref name="owner"/> (a VM or vCPU handle).</summary>
    public static KvmStatsHandle Open<THandle>(THandle owner) where THandle : FileDescriptorHandle, IStatsDescriptor =>
        FileDescriptorHandle.Adopt<KvmStatsHandle>(owner.Kernel, (int)owner.Ioctl(KvmVmIoctls.GetStatsFd));

    /// <summary>Every statistic of the descriptor, read now.</summary>
    public static IReadOnlyList<KernelStatistic> Read(KvmStatsHandle stats)
    {
        CpuArchitecture arch = stats.Kernel.Architecture;
        CStructLayout header = KvmStructs.StatsHeader.LayoutOn(arch);
        CStructLayout desc = KvmStructs.StatsDesc.LayoutOn(arch);
        ReadOnlySpan<byte> head = ReadAt(stats, 0, header.Size);
        uint nameSize = U32(head, header, "name_size"), count = U32(head, header, "num_desc");
        uint descOffset = U32(head, header, "desc_offset"), dataOffset = U32(head, header, "data_offset");
        if (count > 100_000 || nameSize > 4096 || descOffset < header.Size || dataOffset < descOffset)
        {
            throw new KvmPSException("KernelStatisticsMalformed", ErrorKind.DeviceError,
                $"KVM_GET_STATS_FD gave an implausible header ({count} descriptors, {nameSize}-byte names, descriptors at {descOffset}, data at {dataOffset}).");
        }
        int entrySize = desc.Size + (int)nameSize;
        byte[] descriptors = ReadAt(stats, descOffset, checked(entrySize * (int)count));
        var parsed = new (string Name, uint Flags, short Exponent, ushort Size, uint Offset)[count];
        int dataLength = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> entry = descriptors.AsSpan(i * entrySize, entrySize);
            ReadOnlySpan<byte> name = entry[desc.Size..];
            int nul = name.IndexOf((byte)0);
            parsed[i] = (Encoding.ASCII.GetString(nul < 0 ? name : name[..nul]), U32(entry, desc, "flags"),
                BitConverter.ToInt16(entry[desc.OffsetOf("exponent")..]), BitConverter.ToUInt16(entry[desc.OffsetOf("size")..]),
                U32(entry, desc, "offset"));
            dataLength = Math.Max(dataLength, checked((int)parsed[i].Offset + parsed[i].Size * sizeof(ulong)));
        }
        byte[] data = ReadAt(stats, dataOffset, dataLength);
        return parsed.Select(p => new KernelStatistic(p.Name, (KernelStatisticKind)(p.Flags & TypeMask), UnitOf(p.Flags & UnitMask),
                (p.Flags & BaseMask) == 0 ? 10 : 2, p.Exponent,
                Enumerable.Range(0, p.Size).Select(k => BitConverter.ToUInt64(data, (int)p.Offset + k * sizeof(ulong))).ToArray()))
            .ToArray();
    }

    private static string UnitOf(uint unit) => unit switch
    {
        0x00 => "None",
        0x10 => "Bytes",
        0x20 => "Seconds",
        0x30 => "Cycles",
        0x40 => "Boolean",
        _ => $"0x{unit:x}",
    };

    private static uint U32(ReadOnlySpan<byte> bytes, CStructLayout layout, string field) => BitConverter.ToUInt32(bytes[layout.OffsetOf(field)..]);

    /// <summary>pread(2) of exactly <paramref name="length"/> bytes at <paramref name="offset"/>: the descriptor can be read again and again.</summary>
    private static byte[] ReadAt(KvmStatsHandle stats, long offset, int length)
    {
        byte[] bytes = new byte[length];
        int filled = 0;
        while (filled < length)
        {
            long read = KernelCalls.WithHandle(stats, fd => stats.Kernel.Syscalls.ReadAt(fd, bytes.AsSpan(filled), offset + filled));
            if (read < 0)
            {
                throw new KvmIoctlException("pread(KVM_GET_STATS_FD)", (int)-read, null);
            }
            if (read == 0)
            {
                throw new KvmPSException("KernelStatisticsMalformed", ErrorKind.DeviceError,
                    $"The statistics descriptor ended at byte {offset + filled}, before the {offset + length} bytes its header announces.");
            }
            filled += (int)read;
        }
        return bytes;
    }
}
