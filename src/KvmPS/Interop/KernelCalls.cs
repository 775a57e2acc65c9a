using System.Runtime.CompilerServices;
using KvmPS.Interop.Handles;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Interop;

/// <summary>
/// Issues ioctls on a descriptor: computes the request for the descriptor's architecture, keeps the handle alive
/// for the call, and turns -errno into a <see cref="KvmIoctlException"/> that names the ioctl.
/// </summary>
internal static class KernelCalls
{
    /// <summary>Opens a device node into a handle of the right kind, or throws with a message for ENOENT/EACCES.</summary>
    public static T OpenDevice<T>(KernelInterface kernel, string path, int flags, Func<int, string?> hintFor)
        where T : FileDescriptorHandle, new()
    {
        int fd = kernel.Syscalls.Open(path, flags);
        if (fd < 0)
        {
            throw new KvmIoctlException($"open({path})", -fd, hintFor(-fd));
        }
        return FileDescriptorHandle.Adopt<T>(kernel, fd);
    }

    // Each ioctl is declared for one kind of descriptor (IoctlDefinition<TOwner>); the THandle : TOwner constraint
    // makes an ioctl issued on the wrong kind of handle a compile error.

    /// <summary>An ioctl whose argument is an integer (or none).</summary>
    public static long Ioctl<THandle, TOwner>(this THandle fd, IoctlDefinition<TOwner> ioctl, nint argument = 0, Func<int, string?>? hintFor = null)
        where THandle : FileDescriptorHandle, TOwner where TOwner : class =>
        Call(fd, ioctl, argument, hintFor);

    /// <summary>An ioctl that passes a pointer to <paramref name="argument"/>.</summary>
    public static unsafe long Ioctl<THandle, TOwner, T>(this THandle fd, IoctlDefinition<TOwner> ioctl, ref T argument, Func<int, string?>? hintFor = null)
        where THandle : FileDescriptorHandle, TOwner where TOwner : class where T : unmanaged
    {
        CheckArgumentSize(fd, ioctl, sizeof(T));
        fixed (T* pointer = &argument)
        {
            return Call(fd, ioctl, (nint)pointer, hintFor);
        }
    }

    /// <summary>An ioctl that passes a raw buffer laid out by the struct's per-architecture layout.</summary>
    public static unsafe long Ioctl<THandle, TOwner>(this THandle fd, IoctlDefinition<TOwner> ioctl, Span<byte> buffer, Func<int, string?>? hintFor = null)
        where THandle : FileDescriptorHandle, TOwner where TOwner : class
    {
        if (ioctl.StructArgument is not null)
        {
            int needed = ioctl.StructArgument.SizeOn(fd.Kernel.Architecture);
            if (buffer.Length < needed)
            {
                throw new ArgumentException($"{ioctl.Name} needs a {needed}-byte struct {ioctl.StructArgument.Name}; got {buffer.Length} bytes.", nameof(buffer));
            }
        }
        fixed (byte* pointer = buffer)
        {
            return Call(fd, ioctl, (nint)pointer, hintFor);
        }
    }

    /// <summary>Like the integer Ioctl but returns -errno instead of throwing, for probing calls.</summary>
    public static long TryIoctl<THandle, TOwner>(this THandle fd, IoctlDefinition<TOwner> ioctl, nint argument)
        where THandle : FileDescriptorHandle, TOwner where TOwner : class =>
        Issue(fd, ioctl, argument);

    private static long Call(FileDescriptorHandle fd, IoctlDefinition ioctl, nint argument, Func<int, string?>? hintFor)
    {
        long result = Issue(fd, ioctl, argument);
        if (result < 0)
        {
            int errno = (int)-result;
            throw new KvmIoctlException(ioctl.Name, errno, hintFor?.Invoke(errno));
        }
        return result;
    }

    /// <summary>The ioctl, issued again while a signal interrupts it unless its EINTR is an answer (KVM_RUN).</summary>
    private static long Issue(FileDescriptorHandle fd, IoctlDefinition ioctl, nint argument)
    {
        uint request = ioctl.RequestOn(fd.Kernel.Architecture);
        long result;
        do
        {
            result = WithHandle(fd, number => fd.Kernel.Syscalls.Ioctl(number, request, argument));
        }
        while (result == -Errno.EINTR && ioctl.RetriesWhenInterrupted);
        return result;
    }

    internal static TResult WithHandle<TResult>(FileDescriptorHandle fd, Func<int, TResult> call)
    {
        ObjectDisposedException.ThrowIf(fd.IsClosed, fd);
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            return call(fd.Number);
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckArgumentSize(FileDescriptorHandle fd, IoctlDefinition ioctl, int size)
    {
        if (ioctl.StructArgument is { } argument && argument.SizeOn(fd.Kernel.Architecture) != size)
        {
            throw new InvalidOperationException(
                $"{ioctl.Name}: the managed argument is {size} bytes but struct {argument.Name} is {argument.SizeOn(fd.Kernel.Architecture)} on {fd.Kernel.Architecture.UnameName()}.");
        }
    }
}
