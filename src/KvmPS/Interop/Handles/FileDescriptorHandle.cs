using System.Runtime.InteropServices;

namespace KvmPS.Interop.Handles;

/// <summary>
/// A kernel file descriptor owned by a SafeHandle, closed exactly once through the syscall seam it came from.
/// One subclass per kind of descriptor, so a VM fd cannot be passed where a vCPU fd is expected.
/// </summary>
internal abstract class FileDescriptorHandle : SafeHandle
{
    private KernelInterface? _kernel;

    protected FileDescriptorHandle()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    public KernelInterface Kernel => _kernel ?? throw new InvalidOperationException("The handle holds no descriptor.");

    /// <summary>Takes ownership of a descriptor just returned by the kernel.</summary>
    public static T Adopt<T>(KernelInterface kernel, int fd) where T : FileDescriptorHandle, new()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        var owner = new T();
        owner._kernel = kernel;
        owner.SetHandle(fd);
        return owner;
    }

    /// <summary>The descriptor number, for messages and for ioctls that take another descriptor as an argument.</summary>
    public int Number => (int)handle.ToInt64();

    protected override bool ReleaseHandle() => _kernel!.Syscalls.Close((int)handle.ToInt64()) == 0;
}
