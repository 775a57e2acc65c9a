using System.Runtime.InteropServices;

namespace KvmPS.Interop;

/// <summary>The production <see cref="ISyscalls"/>: libc through LibraryImport.</summary>
internal sealed partial class LibcSyscalls : ISyscalls
{
    public static LibcSyscalls Instance { get; } = new();

    private LibcSyscalls()
    {
    }

    public int Open(string path, int flags) =>
        Result(NativeMethods.open(path, flags | LinuxConstants.O_CLOEXEC));

    public int Close(int fd) => Result(NativeMethods.close(fd));

    /// <summary>One ioctl(2); an EINTR comes back as -EINTR (KernelCalls decides whether to issue it again).</summary>
    public long Ioctl(int fd, uint request, nint argument) => Result(NativeMethods.ioctl(fd, request, argument));

    public nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset)
    {
        nint result = NativeMethods.mmap(address, length, protection, flags, fd, offset);
        return result == -1 ? -Marshal.GetLastPInvokeError() : result;
    }

    public int Munmap(nint address, nuint length) => Result(NativeMethods.munmap(address, length));

    public int EventFd(uint initialValue, int flags) =>
        Result(NativeMethods.eventfd(initialValue, flags | LinuxConstants.EFD_CLOEXEC));

    public unsafe long Read(int fd, Span<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            return Result(NativeMethods.read(fd, pointer, (nuint)buffer.Length));
        }
    }

    public unsafe long ReadAt(int fd, Span<byte> buffer, long offset)
    {
        fixed (byte* pointer = buffer)
        {
            return Result(NativeMethods.pread(fd, pointer, (nuint)buffer.Length, offset));
        }
    }

    public unsafe long Write(int fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* pointer = buffer)
        {
            return Result(NativeMethods.write(fd, pointer, (nuint)buffer.Length));
        }
    }

    public int GetThreadId() => NativeMethods.gettid();

    public int SignalThread(int threadId, int signal) =>
        Result(NativeMethods.tgkill(Environment.ProcessId, threadId, signal));

    private static int Result(int value) => value < 0 ? -Marshal.GetLastPInvokeError() : value;

    private static long Result(nint value) => value < 0 ? -Marshal.GetLastPInvokeError() : value;

    private static unsafe partial class NativeMethods
    {
        private const string Libc = "libc";

        [LibraryImport(Libc, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int open(string path, int flags);

        [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
        internal static partial int close(int fd);

        [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
        internal static partial int ioctl(int fd, nuint request, nint argument);

        [LibraryImport(Libc, EntryPoint = "mmap", SetLastError = true)]
        internal static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

        [LibraryImport(Libc, EntryPoint = "munmap", SetLastError = true)]
        internal static partial int munmap(nint address, nuint length);

        [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
        internal static partial int eventfd(uint initialValue, int flags);

        [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
        internal static partial nint read(int fd, byte* buffer, nuint count);

        [LibraryImport(Libc, EntryPoint = "pread", SetLastError = true)]
        internal static partial nint pread(int fd, byte* buffer, nuint count, long offset);

        [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
        internal static partial nint write(int fd, byte* buffer, nuint count);

        [LibraryImport(Libc, EntryPoint = "gettid")]
        internal static partial int gettid();

        [LibraryImport(Libc, EntryPoint = "tgkill", SetLastError = true)]
        internal static partial int tgkill(int processId, int threadId, int signal);
    }
}
