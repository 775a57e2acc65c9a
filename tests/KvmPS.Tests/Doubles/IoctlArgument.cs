namespace KvmPS.Tests.Doubles;

/// <summary>
/// An ioctl argument seen as the module's own struct (src/KvmPS/Interop/Structs), so the doubles and the module
/// read and write the kernel's layout from one declaration.
/// </summary>
internal static class IoctlArgument
{
    public static unsafe ref T As<T>(nint argument) where T : unmanaged => ref *(T*)argument;
}
