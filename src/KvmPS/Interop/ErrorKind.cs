using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Interop;

/// <summary>What kind of failure an error is. Member names match PowerShell's ErrorCategory, to which cmdlets map them by name.</summary>
[JsonConverter(typeof(StringEnumConverter))]
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
