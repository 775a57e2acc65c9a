using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Interop;

/// <summary>The data direction of an ioctl, as seen from userspace (_IO, _IOW, _IOR, _IOWR).</summary>
[JsonConverter(typeof(StringEnumConverter))]
internal enum IoctlDirection
{
    None,
    Write,
    Read,
    ReadWrite,
}
