using System.Runtime.InteropServices;
using KvmPS.Interop.Handles;

namespace KvmPS.Interop;

/// <summary>
/// An mmap(2)ed range owned by a SafeHandle and unmapped exactly once. All access is bounds-checked against the
/// mapping's length, so no offset can fault the process.
/// </summary>
internal sealed class MemoryMapping : SafeHandle
{
    private readonly ISyscalls _syscalls;

    private MemoryMapping(ISyscalls syscalls, nint address, ulong length)
        : base(invalidHandleValue: 0, ownsHandle: true)
    {
        _syscalls = syscalls;
        Length = length;
        SetHandle(address);
    }

    public ulong Length { get; }

    public override bool IsInvalid => handle == 0;

    /// <summary>Anonymous shared read-write memory, as guest RAM is (api.txt 4.35: userspace_addr backs the slot).</summary>
    public static MemoryMapping Anonymous(ISyscalls syscalls, ulong length) => Map(syscalls, "mmap(anonymous)", length,
        LinuxConstants.PROT_READ | LinuxConstants.PROT_WRITE,
        LinuxConstants.MAP_SHARED | LinuxConstants.MAP_ANONYMOUS | LinuxConstants.MAP_NORESERVE, -1, 0);

    /// <summary>Maps <paramref name="length"/> bytes of a kernel object's descriptor (kvm_run, a TCE table, a VFIO region).</summary>
    public static MemoryMapping OfDescriptor(FileDescriptorHandle fd, string what, ulong length, int protection, long offset = 0) =>
        KernelCalls.WithHandle(fd, number => Map(fd.Kernel.Syscalls, what, length, protection, LinuxConstants.MAP_SHARED, number, offset));

    private static MemoryMapping Map(ISyscalls syscalls, string what, ulong length, int protection, int flags, int fd, long offset)
    {
        if (length == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), "A mapping needs at least one byte.");
        }
        nint address = syscalls.Mmap(0, (nuint)length, protection, flags, fd, offset);
        if (address < 0 && address > -4096)
        {
            int errno = (int)-address;
            throw new KvmIoctlException(what, errno, errno == Errno.ENOMEM
                ? $"The process could not reserve 0x{length:X} bytes of address space for the mapping: the size is more than this " +
                  "process can map (its virtual address space, ulimit -v, or the host's overcommit policy); ask for less."
                : null);
        }
        return new MemoryMapping(syscalls, address, length);
    }

    /// <summary>The mapping's start address, for kernel structs that take a userspace address.</summary>
    public nint Address => IsClosed ? throw new ObjectDisposedException(nameof(MemoryMapping), "The memory has been unmapped.") : handle;

    /// <summary>
    /// Holds the mapping for one access (SafeHandle.DangerousAddRef): while the lease lives, a concurrent Dispose
    /// only marks the mapping closed and the munmap waits for the lease's release, so spans taken from the lease
    /// never point at unmapped memory. Throws ObjectDisposedException once the mapping is closed.
    /// </summary>
    public MappingLease Lease()
    {
        bool added = false;
        DangerousAddRef(ref added);
        return new MappingLease(this, handle);
    }

    /// <summary>A span over the mapping for the caller that owns it and does not share it (prefer <see cref="Lease"/>).</summary>
    public unsafe Span<byte> Slice(ulong offset, int length)
    {
        CheckRange(offset, (ulong)length);
        return new Span<byte>((byte*)Address + offset, length);
    }

    /// <summary>A reference into the mapping for the caller that owns it and does not share it (prefer <see cref="Lease"/>).</summary>
    public unsafe ref T At<T>(ulong offset) where T : unmanaged
    {
        CheckRange(offset, (ulong)sizeof(T));
        return ref *(T*)((byte*)Address + offset);
    }

    public void CheckRange(ulong offset, ulong length)
    {
        if (offset > Length || length > Length - offset)
        {
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"Bytes {offset}..{offset + length} are outside the {Length}-byte mapping.");
        }
    }

    protected override bool ReleaseHandle() => _syscalls.Munmap(handle, (nuint)Length) == 0;
}

/// <summary>
/// One access to a <see cref="MemoryMapping"/>, returned by <see cref="MemoryMapping.Lease"/> and released by
/// Dispose. Spans and references it hands out are valid until then; it is a ref struct, so they cannot outlive it.
/// </summary>
internal ref struct MappingLease
{
    private MemoryMapping? _mapping;
    private readonly nint _address;

    internal MappingLease(MemoryMapping mapping, nint address)
    {
        _mapping = mapping;
        _address = address;
    }

    public readonly ulong Length => Mapping.Length;

    public readonly nint Address
    {
        get
        {
            _ = Mapping;
            return _address;
        }
    }

    private readonly MemoryMapping Mapping => _mapping ?? throw new ObjectDisposedException(nameof(MappingLease), "The lease has been released.");

    public readonly unsafe Span<byte> Slice(ulong offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Mapping.CheckRange(offset, (ulong)length);
        return new Span<byte>((byte*)_address + offset, length);
    }

    public readonly unsafe ref T At<T>(ulong offset) where T : unmanaged
    {
        Mapping.CheckRange(offset, (ulong)sizeof(T));
        return ref *(T*)((byte*)_address + offset);
    }

    public void Dispose()
    {
        MemoryMapping? mapping = _mapping;
        _mapping = null;
        mapping?.DangerousRelease();
    }
}
