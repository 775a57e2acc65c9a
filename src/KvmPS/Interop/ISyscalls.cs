namespace KvmPS.Interop;

/// <summary>
/// The narrow seam through which all kernel access passes. Methods follow the kernel's convention: a
/// non-negative result on success, the negated errno on failure, so that a test double can implement the
/// documented contract of an ioctl without any libc.
/// </summary>
internal interface ISyscalls
{
    /// <summary>open(2); returns the descriptor or -errno. <paramref name="flags"/> are O_* bits (O_CLOEXEC is always added).</summary>
    int Open(string path, int flags);

    /// <summary>close(2); returns 0 or -errno.</summary>
    int Close(int fd);

    /// <summary>ioctl(2) with a pointer or integer argument; returns the ioctl's result or -errno.</summary>
    long Ioctl(int fd, uint request, nint argument);

    /// <summary>mmap(2); returns the address, or -errno as a negative value.</summary>
    nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    /// <summary>munmap(2); returns 0 or -errno.</summary>
    int Munmap(nint address, nuint length);

    /// <summary>eventfd(2) with EFD_CLOEXEC added; returns the descriptor or -errno.</summary>
    int EventFd(uint initialValue, int flags);

    /// <summary>read(2) into a buffer; returns bytes read or -errno.</summary>
    long Read(int fd, Span<byte> buffer);

    /// <summary>pread(2): read from a file offset without moving the file position; returns bytes read or -errno.</summary>
    long ReadAt(int fd, Span<byte> buffer, long offset);

    /// <summary>write(2) from a buffer; returns bytes written or -errno.</summary>
    long Write(int fd, ReadOnlySpan<byte> buffer);

    /// <summary>gettid(2): the kernel id of the calling thread.</summary>
    int GetThreadId();

    /// <summary>tgkill(2) to a thread of this process; returns 0 or -errno. Used to kick a vCPU out of KVM_RUN.</summary>
    int SignalThread(int threadId, int signal);
}
