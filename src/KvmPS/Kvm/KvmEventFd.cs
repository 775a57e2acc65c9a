using System.Buffers.Binary;
using KvmPS.Interop;
using KvmPS.Interop.Handles;

namespace KvmPS.Kvm;

/// <summary>A non-blocking eventfd(2) that KVM signals (ioeventfd, irqfd resample) or that the module signals (irqfd).</summary>
public sealed class KvmEventFd : IDisposable
{
    private readonly KernelInterface _kernel;
    private long _total;

    private KvmEventFd(KernelInterface kernel, EventFdHandle handle)
    {
        _kernel = kernel;
        Handle = handle;
    }

    internal EventFdHandle Handle { get; }

    public int Number => Handle.Number;

    internal static KvmEventFd Create(KernelInterface kernel)
    {
        int fd = kernel.Syscalls.EventFd(0, LinuxConstants.EFD_NONBLOCK);
        if (fd < 0)
        {
            throw new KvmIoctlException("eventfd", -fd, "The process could not create an eventfd (too many open descriptors?).");
        }
        return new KvmEventFd(kernel, FileDescriptorHandle.Adopt<EventFdHandle>(kernel, fd));
    }

    /// <summary>Adds <paramref name="value"/> to the counter (write(2)), which wakes whatever waits on it.</summary>
    public void Signal(ulong value = 1)
    {
        byte[] buffer = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, value);
        long written = KernelCalls.WithHandle(Handle, fd => _kernel.Syscalls.Write(fd, buffer));
        if (written < 0)
        {
            throw new KvmIoctlException("write(eventfd)", (int)-written, null);
        }
    }

    /// <summary>Reads and clears the counter without blocking: 0 when nothing signalled it since the last read.</summary>
    private ulong Drain()
    {
        byte[] buffer = new byte[8];
        long read = KernelCalls.WithHandle(Handle, fd => _kernel.Syscalls.Read(fd, buffer));
        return read switch
        {
            8 => BinaryPrimitives.ReadUInt64LittleEndian(buffer),
            -Errno.EAGAIN => 0,
            < 0 => throw new KvmIoctlException("read(eventfd)", (int)-read, null),
            _ => throw new KvmIoctlException("read(eventfd)", Errno.EIO, $"read returned {read} bytes instead of 8."),
        };
    }

    /// <summary>
    /// Everything signalled since creation: drains the counter without blocking and adds it to what earlier reads
    /// took. Once disposed, the total as last read (disposing reads it one last time).
    /// </summary>
    public ulong Total
    {
        get
        {
            try
            {
                Interlocked.Add(ref _total, (long)Drain());
            }
            catch (ObjectDisposedException)
            {
                // closed meanwhile: the last total stands
            }
            return (ulong)Interlocked.Read(ref _total);
        }
    }

    public void Dispose()
    {
        if (!Handle.IsClosed)
        {
            _ = Total;
        }
        Handle.Dispose();
    }
}
