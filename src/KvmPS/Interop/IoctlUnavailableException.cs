namespace KvmPS.Interop;

/// <summary>
/// The module was asked for an ioctl or struct that the architecture's UAPI headers do not define. KvmPS never
/// sends a guessed request number; it says the ioctl does not exist there.
/// </summary>
public sealed class IoctlUnavailableException : KvmPSException
{
    public IoctlUnavailableException(string name, CpuArchitecture arch)
        : base($"{name.Replace("struct ", "", StringComparison.Ordinal)}.NotDefinedOnArchitecture", ErrorKind.NotImplemented,
            $"{name} does not exist on {arch.UnameName()}: the kernel headers of that architecture do not define it, so KvmPS cannot issue it there.")
    {
        Name = name;
        Architecture = arch;
    }

    public string Name { get; }
    public CpuArchitecture Architecture { get; }
}
