namespace KvmPS.Interop;

/// <summary>open/mmap flags. Values are those of x86_64, arm64, powerpc and s390 alike (asm-generic/fcntl.h, mman).</summary>
internal static class LinuxConstants
{
    public const int O_RDONLY = 0x0;
    public const int O_RDWR = 0x2;
    public const int O_CLOEXEC = 0x80000;

    public const int PROT_NONE = 0x0;
    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;

    public const int MAP_SHARED = 0x01;
    public const int MAP_PRIVATE = 0x02;
    public const int MAP_ANONYMOUS = 0x20;
    public const int MAP_NORESERVE = 0x4000;

    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    public const int PageSize = 4096;

    /// <summary>KVM_DIRTY_LOG_PAGE_OFFSET of asm/kvm.h: where a vCPU's dirty ring starts in its mmap, in pages.</summary>
    public const int KvmDirtyLogPageOffset = 64;

    /// <summary>SIGWINCH (28 on all four architectures): harmless, and .NET installs a handler for it on request.</summary>
    public const int SIGWINCH = 28;
}
