using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using KvmPS.Interop;

namespace KvmPS.Tests.Doubles;

/// <summary>
/// A test double of the kernel behind <see cref="ISyscalls"/>: device nodes that open into <see cref="DoubleFile"/>s,
/// a descriptor table, and real (heap) memory for mmap, so object-model code for hardware this machine lacks runs
/// against the documented contract. It counts open descriptors and live mappings for leak checks.
/// </summary>
internal sealed class KernelDouble : ISyscalls, IDisposable
{
    private readonly ConcurrentDictionary<int, DoubleFile> _files = new();
    private readonly ConcurrentDictionary<nint, (nuint Length, bool OwnedByFile)> _mappings = new();
    private readonly Dictionary<string, Func<DoubleFile>> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _openErrors = new(StringComparer.Ordinal);
    private int _nextFd = 3;

    public KernelDouble(CpuArchitecture architecture, int pageSize = LinuxConstants.PageSize)
    {
        Architecture = architecture;
        Kernel = new KernelInterface(this, architecture, pageSize);
    }

    public CpuArchitecture Architecture { get; }
    public KernelInterface Kernel { get; }

    public int OpenDescriptors => _files.Count;
    public int LiveMappings => _mappings.Count;
    public IReadOnlyCollection<DoubleFile> OpenFiles => _files.Values.ToArray();

    /// <summary>Every (descriptor, request) pair issued, in order, for tests that check what was sent.</summary>
    public ConcurrentQueue<(int Fd, uint Request, int ThreadId)> IoctlLog { get; } = new();

    public void AddNode(string path, Func<DoubleFile> open) => _nodes[path] = open;

    /// <summary>Makes open(path) fail with <paramref name="errno"/> (e.g. EACCES for a node the user may not open).</summary>
    public void FailOpen(string path, int errno) => _openErrors[path] = errno;

    /// <summary>Adds a descriptor for a kernel object the double created (a VM, a table) and returns its number.</summary>
    public int Install(DoubleFile file)
    {
        int fd = Interlocked.Increment(ref _nextFd);
        _files[fd] = file;
        return fd;
    }

    public T FileOf<T>(int fd) where T : DoubleFile => (T)_files[fd];

    public bool TryGetFile(int fd, out DoubleFile file) => _files.TryGetValue(fd, out file!);

    public int Open(string path, int flags)
    {
        if (_openErrors.TryGetValue(path, out int errno))
        {
            return -errno;
        }
        return _nodes.TryGetValue(path, out var open) ? Install(open()) : -Errno.ENOENT;
    }

    public int Close(int fd)
    {
        if (!_files.TryRemove(fd, out DoubleFile? file))
        {
            return -Errno.EBADF;
        }
        file.Closed = true;
        file.OnClose();
        return 0;
    }

    public long Ioctl(int fd, uint request, nint argument)
    {
        IoctlLog.Enqueue((fd, request, Environment.CurrentManagedThreadId));
        return _files.TryGetValue(fd, out DoubleFile? file) ? file.Ioctl(request, argument) : -Errno.EBADF;
    }

    public unsafe nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset)
    {
        if (length == 0)
        {
            return -Errno.EINVAL;
        }
        nint result;
        if ((flags & LinuxConstants.MAP_ANONYMOUS) != 0)
        {
            result = AllocatePages(length);
            _mappings[result] = (length, false);
        }
        else if (_files.TryGetValue(fd, out DoubleFile? file))
        {
            result = file.Mmap(length, protection, offset);
            if (result < 0)
            {
                return result;
            }
            _mappings[result] = (length, file.OwnsMappedMemory);
        }
        else
        {
            return -Errno.EBADF;
        }
        return result;
    }

    /// <summary>
    /// Allocates zeroed memory aligned to this kernel's page size (4 KiB, or 64 KiB as on most POWER hosts), as mmap
    /// returns it; DoubleFiles hand it out from their Mmap.
    /// </summary>
    public unsafe nint AllocatePages(nuint length)
    {
        nint memory = (nint)NativeMemory.AlignedAlloc(length, (nuint)Kernel.PageSize);
        NativeMemory.Clear((void*)memory, length);
        return memory;
    }

    public unsafe int Munmap(nint address, nuint length)
    {
        if (!_mappings.TryGetValue(address, out var mapped) || mapped.Length != length || !_mappings.TryRemove(address, out _))
        {
            return -Errno.EINVAL;
        }
        if (!mapped.OwnedByFile)
        {
            NativeMemory.AlignedFree((void*)address);
        }
        return 0;
    }

    public int EventFd(uint initialValue, int flags) => Install(new EventFdDouble(this, initialValue));

    public long Read(int fd, Span<byte> buffer) => _files.TryGetValue(fd, out DoubleFile? file) ? file.Read(buffer) : -Errno.EBADF;
    public long ReadAt(int fd, Span<byte> buffer, long offset) => _files.TryGetValue(fd, out DoubleFile? file) ? file.ReadAt(buffer, offset) : -Errno.EBADF;

    public long Write(int fd, ReadOnlySpan<byte> buffer) => _files.TryGetValue(fd, out DoubleFile? file) ? file.Write(buffer) : -Errno.EBADF;

    public int GetThreadId() => Environment.CurrentManagedThreadId;

    /// <summary>Signals sent with tgkill, for tests of the vCPU kick.</summary>
    public ConcurrentQueue<(int ThreadId, int Signal)> Signals { get; } = new();

    public int SignalThread(int threadId, int signal)
    {
        Signals.Enqueue((threadId, signal));
        return 0;
    }

    public void Dispose()
    {
        foreach (nint address in _mappings.Keys)
        {
            Munmap(address, _mappings[address].Length);
        }
    }
}
