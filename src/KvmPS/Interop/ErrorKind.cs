namespace KvmPS.Interop;

/// <summary>What kind of failure an error is. Member names match PowerShell's ErrorCategory, to which cmdlets map them by name.</summary>
public enum ErrorKind
{
    NotSpecified,
    InvalidArgument,
    InvalidOperation,
    ObjectNotFound,
    ResourceExists,
    ResourceBusy,
    ResourceUnavailable,
    PermissionDenied,
    NotImplemented,
    NotInstalled,
    LimitsExceeded,
    DeviceError,
    OpenError,
}
