namespace KvmPS.Interop;

/// <summary>
/// The kernel's _IOC() for each architecture. x86_64, arm64 and s390x use asm-generic/ioctl.h
/// (14 size bits, 2 direction bits, NONE=0 WRITE=1 READ=2); powerpc overrides it in
/// arch/powerpc/include/uapi/asm/ioctl.h (13 size bits, 3 direction bits, NONE=1 READ=2 WRITE=4).
/// </summary>
internal static class IoctlEncoding
{
    private const int NumberShift = 0;
    private const int TypeShift = 8;
    private const int SizeShift = 16;

    public static int SizeBits(CpuArchitecture arch) => arch == CpuArchitecture.PowerPC64LE ? 13 : 14;

    public static int MaxSize(CpuArchitecture arch) => (1 << SizeBits(arch)) - 1;

    public static uint Encode(CpuArchitecture arch, IoctlDirection direction, byte type, byte number, int size)
    {
        if (size < 0 || size > MaxSize(arch))
        {
            throw new ArgumentOutOfRangeException(nameof(size), size,
                $"An ioctl argument of {size} bytes does not fit the {SizeBits(arch)} size bits of {arch.UnameName()}.");
        }
        int directionShift = SizeShift + SizeBits(arch);
        return (DirectionBits(arch, direction) << directionShift)
            | ((uint)size << SizeShift)
            | ((uint)type << TypeShift)
            | ((uint)number << NumberShift);
    }

    private static uint DirectionBits(CpuArchitecture arch, IoctlDirection direction) =>
        arch == CpuArchitecture.PowerPC64LE
            ? direction switch
            {
                IoctlDirection.None => 1u,
                IoctlDirection.Read => 2u,
                IoctlDirection.Write => 4u,
                IoctlDirection.ReadWrite => 6u,
                _ => throw new ArgumentOutOfRangeException(nameof(direction)),
            }
            : direction switch
            {
                IoctlDirection.None => 0u,
                IoctlDirection.Write => 1u,
                IoctlDirection.Read => 2u,
                IoctlDirection.ReadWrite => 3u,
                _ => throw new ArgumentOutOfRangeException(nameof(direction)),
            };
}
