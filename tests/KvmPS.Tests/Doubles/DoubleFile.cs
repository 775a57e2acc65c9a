using KvmPS.Interop;

namespace KvmPS.Tests.Doubles;

/// <summary>
/// An open file of the <see cref="KernelDouble"/>: a device node or a kernel object's descriptor. Subclasses
/// implement the documented contract of their ioctls; anything else answers ENOTTY as the kernel does.
/// </summary>
internal class DoubleFile
{
    private readonly Dictionary<uint, Func<nint, long>> _ioctls = [];

    public DoubleFile(KernelDouble kernel, string name)
    {
        Kernel = kernel;
        Name = name;
    }

    public KernelDouble Kernel { get; }
    public string Name { get; }
    public bool Closed { get; internal set; }

    /// <summary>Registers the handler of one ioctl (by the module's definition, encoded for the double's architecture).</summary>
    public void On(KvmPS.Interop.Ioctls.IoctlDefinition ioctl, Func<nint, long> handler) =>
        _ioctls[ioctl.RequestOn(Kernel.Architecture)] = handler;

    public virtual long Ioctl(uint request, nint argument) =>
        _ioctls.TryGetValue(request, out var handler) ? handler(argument) : -Errno.ENOTTY;

    /// <summary>mmap of this descriptor; the default refuses (ENODEV), as most kernel objects do.</summary>
    public virtual nint Mmap(nuint length, int protection, long offset) => -Errno.ENODEV;

    /// <summary>
    /// True when <see cref="Mmap"/> hands out memory the file keeps and frees itself (a TCE table whose entries the
    /// "kernel" writes): munmap then forgets the mapping without freeing it.
    /// </summary>
    public virtual bool OwnsMappedMemory => false;

    public virtual long Read(Span<byte> buffer) => -Errno.EINVAL;
    public virtual long ReadAt(Span<byte> buffer, long offset) => -Errno.ESPIPE;
    public virtual long Write(ReadOnlySpan<byte> buffer) => -Errno.EINVAL;

    public virtual void OnClose()
    {
    }
}
