namespace KvmPS.Interop;

/// <summary>An ioctl (or another syscall) failed: names the call, the errno and what the user can do.</summary>
public sealed class KvmIoctlException : KvmPSException
{
    public KvmIoctlException(string call, int errno, string? hint = null)
        : base($"{call}.{Errno.NameOf(errno)}", KindOf(errno),
            $"{call} failed with {Errno.NameOf(errno)} ({errno}, {Errno.Describe(errno)}). {hint ?? DefaultHint(errno)}".TrimEnd(),
            recommendedAction: (hint ?? DefaultHint(errno)) is { Length: > 0 } action ? action : null)
    {
        Call = call;
        ErrnoValue = errno;
    }

    public string Call { get; }
    public int ErrnoValue { get; }
    public string ErrnoName => Errno.NameOf(ErrnoValue);
    public string Hint => RecommendedAction ?? "";

    public static ErrorKind KindOf(int errno) => errno switch
    {
        Errno.EINVAL or Errno.E2BIG or Errno.EFAULT or Errno.ERANGE => ErrorKind.InvalidArgument,
        Errno.EEXIST => ErrorKind.ResourceExists,
        Errno.EBUSY or Errno.EAGAIN => ErrorKind.ResourceBusy,
        Errno.ENOMEM or Errno.ENOSPC or Errno.EMFILE or Errno.ENFILE => ErrorKind.ResourceUnavailable,
        Errno.EPERM or Errno.EACCES => ErrorKind.PermissionDenied,
        Errno.ENOTTY or Errno.ENOSYS or Errno.EOPNOTSUPP or Errno.ENXIO => ErrorKind.NotImplemented,
        Errno.ENOENT or Errno.ENODEV or Errno.EISDIR or Errno.ENOTDIR => ErrorKind.ObjectNotFound,
        Errno.EIO => ErrorKind.DeviceError,
        _ => ErrorKind.NotSpecified,
    };

    public static string DefaultHint(int errno) => errno switch
    {
        Errno.EINVAL => "The kernel rejected an argument; check the values against the kernel's documentation for this ioctl.",
        Errno.EEXIST => "The object already exists; remove it first or use another identifier.",
        Errno.EBUSY => "The resource is in use; stop or remove what uses it and try again.",
        Errno.ENOMEM => "The kernel could not allocate memory for the request; free memory or ask for less.",
        Errno.EISDIR => "The path is a directory; give the path of the device node itself.",
        Errno.ENOTDIR => "A component of the path is not a directory; check the path.",
        Errno.EPERM or Errno.EACCES => "Permission denied; run as root or as a member of the group that owns the device.",
        Errno.ENOTTY => "The kernel does not know this ioctl on this descriptor; the host kernel lacks the feature.",
        Errno.ENXIO or Errno.ENODEV => "The kernel does not support this on this system.",
        Errno.EFAULT => "The kernel could not access the memory passed to it.",
        Errno.EMFILE or Errno.ENFILE => "Too many open descriptors; remove VMs you no longer need or raise the limit (ulimit -n).",
        _ => "",
    };
}
