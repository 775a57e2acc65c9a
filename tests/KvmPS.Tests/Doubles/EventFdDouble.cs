using System.Buffers.Binary;
using KvmPS.Interop;

namespace KvmPS.Tests.Doubles;

/// <summary>eventfd(2): an 8-byte counter; write adds, read returns and clears (EAGAIN when zero).</summary>
internal sealed class EventFdDouble(KernelDouble kernel, ulong initial) : DoubleFile(kernel, "eventfd")
{
    public ulong Counter { get; private set; } = initial;

    public override long Read(Span<byte> buffer)
    {
        if (buffer.Length < 8) return -Errno.EINVAL;
        if (Counter == 0) return -Errno.EAGAIN;
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, Counter);
        Counter = 0;
        return 8;
    }

    public override long Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length < 8) return -Errno.EINVAL;
        Counter += BinaryPrimitives.ReadUInt64LittleEndian(buffer);
        return 8;
    }
}
