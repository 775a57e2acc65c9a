namespace KvmPS.Kvm.Arm;

/// <summary>
/// A ONE_REG register id (api.txt 4.68) decoded: architecture (bits 63..56), size (KVM_REG_SIZE, bits 55..52) and,
/// for arm64, the register group of bits 27..16 with its fields (core offset, system-register encoding, SVE slice).
/// </summary>
public sealed record KvmRegisterId(int VmId, int VcpuId, ulong Id)
{
    public const ulong ArchMask = 0xff00_0000_0000_0000;
    public const ulong SizeMask = 0x00f0_0000_0000_0000;
    public const int SizeShift = 52;
    public const ulong Arm64 = 0x6000_0000_0000_0000;

    /// <summary>KVM_REG_ARM_COPROC_MASK / _SHIFT.</summary>
    public const ulong ArmCoprocMask = 0x0000_0000_0FFF_0000;
    public const int ArmCoprocShift = 16;

    public const ushort ArmCore = 0x10;
    public const ushort ArmDemux = 0x11;
    public const ushort Arm64SysReg = 0x13;
    public const ushort ArmFirmware = 0x14;
    public const ushort Arm64Sve = 0x15;
    public const ushort ArmFirmwareFeatureBitmap = 0x16;

    public string Hex => $"0x{Id:X16}";

    public string Architecture => (Id & ArchMask) switch
    {
        0x0000_0000_0000_0000 => "Generic",
        0x1000_0000_0000_0000 => "PPC",
        0x2000_0000_0000_0000 => "X86",
        0x3000_0000_0000_0000 => "IA64",
        0x4000_0000_0000_0000 => "ARM",
        0x5000_0000_0000_0000 => "S390",
        Arm64 => "ARM64",
        0x7000_0000_0000_0000 => "MIPS",
        0x8000_0000_0000_0000 => "RISCV",
        var other => $"0x{other >> 56:X2}",
    };

    /// <summary>KVM_REG_SIZE(id): 1 &lt;&lt; ((id &amp; KVM_REG_SIZE_MASK) &gt;&gt; KVM_REG_SIZE_SHIFT) bytes.</summary>
    public int SizeBytes => 1 << (int)((Id & SizeMask) >> SizeShift);

    /// <summary>The arm64 coprocessor field, or null for other architectures.</summary>
    public ushort? Coprocessor => IsArm64 ? (ushort)((Id & ArmCoprocMask) >> ArmCoprocShift) : null;

    public string Group => Coprocessor switch
    {
        ArmCore => "Core",
        ArmDemux => "Demux",
        Arm64SysReg => "SysReg",
        ArmFirmware => "Firmware",
        Arm64Sve => "Sve",
        ArmFirmwareFeatureBitmap => "FirmwareFeatures",
        null => Architecture,
        var other => $"Coproc0x{other:X}",
    };

    public string Name => Coprocessor switch
    {
        ArmCore => CoreName((uint)(Id & 0xffff)),
        ArmDemux => $"CCSIDR[{Id & 0xff}]",
        Arm64SysReg => SysRegName(),
        ArmFirmware => FirmwareName(Id & 0xffff),
        Arm64Sve => SveName((uint)(Id & 0xffff)),
        ArmFirmwareFeatureBitmap => (Id & 0xffff) switch { 0 => "STD_BMAP", 1 => "STD_HYP_BMAP", 2 => "VENDOR_HYP_BMAP", var n => $"FW_FEAT_BMAP[{n}]" },
        _ => Hex,
    };

    private bool IsArm64 => (Id & ArchMask) == Arm64;

    /// <summary>
    /// KVM_REG_ARM_CORE_REG(name) is the offset in struct kvm_regs in 32-bit units: regs.regs[31], sp, pc, pstate
    /// (8 bytes each), sp_el1, elr_el1, spsr[5], then fp_regs (16-aligned: vregs[32] of 16 bytes, fpsr, fpcr).
    /// </summary>
    public static string CoreName(uint index) => index switch
    {
        < 62 when index % 2 == 0 => $"x{index / 2}",
        62 => "sp",
        64 => "pc",
        66 => "pstate",
        68 => "sp_el1",
        70 => "elr_el1",
        >= 72 and < 82 when index % 2 == 0 => SpsrNames[(index - 72) / 2],
        >= 84 and < 212 when (index - 84) % 4 == 0 => $"v{(index - 84) / 4}",
        212 => "fpsr",
        213 => "fpcr",
        _ => $"core[{index}]",
    };

    private static readonly string[] SpsrNames = ["spsr_el1", "spsr_abt", "spsr_und", "spsr_irq", "spsr_fiq"];

    /// <summary>Op0, Op1, CRn, CRm, Op2 (KVM_REG_ARM64_SYSREG_*_MASK) in the S&lt;op0&gt;_&lt;op1&gt;_C&lt;n&gt;_C&lt;m&gt;_&lt;op2&gt; form.</summary>
    private string SysRegName()
    {
        ulong op0 = (Id >> 14) & 0x3, op1 = (Id >> 11) & 0x7, crn = (Id >> 7) & 0xf, crm = (Id >> 3) & 0xf, op2 = Id & 0x7;
        return $"S{op0}_{op1}_C{crn}_C{crm}_{op2}";
    }

    private static string FirmwareName(ulong index) => index switch
    {
        0 => "PSCI_VERSION",
        1 => "SMCCC_ARCH_WORKAROUND_1",
        2 => "SMCCC_ARCH_WORKAROUND_2",
        3 => "SMCCC_ARCH_WORKAROUND_3",
        _ => $"FW[{index}]",
    };

    /// <summary>KVM_REG_ARM64_SVE_ZREG(n, i) = base 0 | n &lt;&lt; 5 | i; PREG base 0x400; FFR base 0x600; VLS is 0xffff.</summary>
    private static string SveName(uint low) => low switch
    {
        0xffff => "SVE_VLS",
        >= 0x600 => $"FFR[{low & 0x1f}]",
        >= 0x400 => $"P{(low - 0x400) >> 5}[{low & 0x1f}]",
        _ => $"Z{low >> 5}[{low & 0x1f}]",
    };

    public override string ToString() => $"{Hex} {Name}";
}
