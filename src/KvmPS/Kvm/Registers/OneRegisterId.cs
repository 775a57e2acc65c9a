using KvmPS.Interop;

namespace KvmPS.Kvm.Registers;

/// <summary>
/// A KVM_GET/SET_ONE_REG register id (api.txt 4.68): the architecture in bits 63-56 (KVM_REG_ARCH_MASK), the size
/// as a power of two of bytes in bits 55-52 (KVM_REG_SIZE_SHIFT), the architecture's own encoding below.
/// </summary>
internal static class OneRegisterId
{
    private const int SizeShift = 52;
    private const ulong SizeMask = 0x00f0_0000_0000_0000;
    private const ulong ArchMask = 0xff00_0000_0000_0000;

    /// <summary>KVM_REG_SIZE_U2048, the largest size the header defines.</summary>
    public const int MaxSize = 256;

    public static int SizeOf(ulong id) => 1 << (int)((id & SizeMask) >> SizeShift);

    public static ulong ArchitectureBits(CpuArchitecture arch) => arch switch
    {
        CpuArchitecture.PowerPC64LE => 0x1000_0000_0000_0000,   // KVM_REG_PPC
        CpuArchitecture.X86_64 => 0x2000_0000_0000_0000,        // KVM_REG_X86
        CpuArchitecture.S390x => 0x5000_0000_0000_0000,         // KVM_REG_S390
        CpuArchitecture.Aarch64 => 0x6000_0000_0000_0000,       // KVM_REG_ARM64
        _ => throw new ArgumentOutOfRangeException(nameof(arch)),
    };

    public static ulong SizeBits(int bytes) => (ulong)System.Numerics.BitOperations.Log2((uint)bytes) << SizeShift;

    /// <summary>Refuses an id of another architecture or of a size no header defines, before the ioctl.</summary>
    public static int Check(ulong id, CpuArchitecture arch)
    {
        if ((id & ArchMask) != ArchitectureBits(arch))
        {
            throw KvmPSException.InvalidArgument("OneRegisterWrongArchitecture",
                $"Register id 0x{id:X16} is for architecture 0x{(id & ArchMask) >> 56:X2}, but this vCPU is {arch.UnameName()} (its ids start with 0x{ArchitectureBits(arch) >> 56:X2}).");
        }
        int size = SizeOf(id);
        if (size > MaxSize)
        {
            throw KvmPSException.InvalidArgument("OneRegisterInvalidSize",
                $"Register id 0x{id:X16} gives a size of {size} bytes; the largest is {MaxSize} (KVM_REG_SIZE_U2048).");
        }
        return size;
    }

    /// <summary>An arm64 core register: KVM_REG_ARM64 | size | KVM_REG_ARM_CORE | its offset in kvm_regs in 32-bit words.</summary>
    public static ulong Arm64Core(int offset, int size) =>
        ArchitectureBits(CpuArchitecture.Aarch64) | SizeBits(size) | (0x0010UL << 16) | (uint)(offset / sizeof(uint));

    /// <summary>An x86 MSR: KVM_REG_X86 | KVM_REG_SIZE_U64 | KVM_X86_REG_TYPE_MSR (2) in bits 39-32 | the MSR index.</summary>
    public static ulong X86Msr(uint index) =>
        ArchitectureBits(CpuArchitecture.X86_64) | SizeBits(sizeof(ulong)) | (2UL << 32) | index;
}
