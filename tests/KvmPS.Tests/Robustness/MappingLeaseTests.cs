using KvmPS.Interop;

namespace KvmPS.Tests.Robustness;

public sealed class MappingLeaseTests
{
    private sealed class CountingSyscalls : ISyscalls
    {
        private readonly ISyscalls _inner = LibcSyscalls.Instance;
        public int Munmaps;
        public int Open(string path, int flags) => _inner.Open(path, flags);
        public int Close(int fd) => _inner.Close(fd);
        public long Ioctl(int fd, uint request, nint argument) => _inner.Ioctl(fd, request, argument);
        public nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset) => _inner.Mmap(address, length, protection, flags, fd, offset);
        public int Munmap(nint address, nuint length)
        {
            Interlocked.Increment(ref Munmaps);
            return _inner.Munmap(address, length);
        }
        public int EventFd(uint initialValue, int flags) => _inner.EventFd(initialValue, flags);
        public long Read(int fd, Span<byte> buffer) => _inner.Read(fd, buffer);
        public long ReadAt(int fd, Span<byte> buffer, long offset) => _inner.ReadAt(fd, buffer, offset);
        public long Write(int fd, ReadOnlySpan<byte> buffer) => _inner.Write(fd, buffer);
        public int GetThreadId() => _inner.GetThreadId();
        public int SignalThread(int threadId, int signal) => _inner.SignalThread(threadId, signal);
    }

    [Fact]
    public void DisposingALeasedMappingDefersTheMunmapToTheLastRelease()
    {
        var syscalls = new CountingSyscalls();
        MemoryMapping mapping = MemoryMapping.Anonymous(syscalls, (ulong)Environment.SystemPageSize);
        MappingLease lease = mapping.Lease();
        lease.Slice(0, 4).Fill(0x5A);

        mapping.Dispose();

        Assert.Equal(0, syscalls.Munmaps);
        Assert.Equal(new byte[] { 0x5A, 0x5A, 0x5A, 0x5A }, lease.Slice(0, 4).ToArray());   // still mapped: this would fault otherwise
        lease.Dispose();
        Assert.Equal(1, syscalls.Munmaps);
        Assert.True(mapping.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => mapping.Lease());
    }

    [Fact]
    public void AClosedMappingRefusesNewLeasesAndAReleasedLeaseRefusesAccess()
    {
        MemoryMapping mapping = MemoryMapping.Anonymous(LibcSyscalls.Instance, (ulong)Environment.SystemPageSize);
        MappingLease lease = mapping.Lease();
        lease.Dispose();
        lease.Dispose();   // a second release is harmless
        try
        {
            lease.Slice(0, 1);
            Assert.Fail("a released lease handed out a span");
        }
        catch (ObjectDisposedException)
        {
        }
        mapping.Dispose();
        Assert.Throws<ObjectDisposedException>(() => mapping.Lease());
        Assert.Throws<ObjectDisposedException>(() => mapping.Address);
    }

    [Fact]
    public void ALeaseChecksEveryRangeAgainstTheMapping()
    {
        using MemoryMapping mapping = MemoryMapping.Anonymous(LibcSyscalls.Instance, (ulong)Environment.SystemPageSize);
        using MappingLease lease = mapping.Lease();
        ulong length = mapping.Length;
        try
        {
            lease.Slice(length - 1, 2);
            Assert.Fail("a range past the end was handed out");
        }
        catch (ArgumentOutOfRangeException)
        {
        }
        try
        {
            lease.At<ulong>(length - 4);
            Assert.Fail("a value past the end was handed out");
        }
        catch (ArgumentOutOfRangeException)
        {
        }
    }
}
