namespace KvmPS.Interop;

/// <summary>
/// The kernel as the module sees it: the syscall seam plus the architecture whose ABI (ioctl encoding, struct
/// layouts) is spoken through it. Production uses libc on the host architecture; tests pair a double with any
/// architecture to exercise code for hardware this machine lacks.
/// </summary>
internal sealed record KernelInterface(ISyscalls Syscalls, CpuArchitecture Architecture, int PageSize = LinuxConstants.PageSize)
{
    private static readonly Lazy<KernelInterface> s_host = new(() => new(LibcSyscalls.Instance, CpuArchitectures.RequireHost(), Environment.SystemPageSize));

    public static KernelInterface Host => s_host.Value;
}
