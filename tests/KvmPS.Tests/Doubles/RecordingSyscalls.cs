using System.Collections.Concurrent;
using KvmPS.Interop;

namespace KvmPS.Tests.Doubles;

/// <summary>Passes every call to the real libc and records which thread issued each ioctl on which descriptor.</summary>
internal sealed class RecordingSyscalls(ISyscalls inner) : ISyscalls
{
    public ConcurrentQueue<(int Fd, uint Request, int ThreadId)> Ioctls { get; } = new();

    public int Open(string path, int flags) => inner.Open(path, flags);
    public int Close(int fd) => inner.Close(fd);

    public long Ioctl(int fd, uint request, nint argument)
    {
        Ioctls.Enqueue((fd, request, Environment.CurrentManagedThreadId));
        return inner.Ioctl(fd, request, argument);
    }

    public nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset) => inner.Mmap(address, length, protection, flags, fd, offset);
    public int Munmap(nint address, nuint length) => inner.Munmap(address, length);
    public int EventFd(uint initialValue, int flags) => inner.EventFd(initialValue, flags);
    public long Read(int fd, Span<byte> buffer) => inner.Read(fd, buffer);
    public long ReadAt(int fd, Span<byte> buffer, long offset) => inner.ReadAt(fd, buffer, offset);
    public long Write(int fd, ReadOnlySpan<byte> buffer) => inner.Write(fd, buffer);
    public int GetThreadId() => inner.GetThreadId();
    public int SignalThread(int threadId, int signal) => inner.SignalThread(threadId, signal);
}
