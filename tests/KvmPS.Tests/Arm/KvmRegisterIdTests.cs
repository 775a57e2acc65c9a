using KvmPS.Kvm.Arm;

namespace KvmPS.Tests.Arm;

public class KvmRegisterIdTests
{
    [Theory]
    [InlineData(0x6030_0000_0010_0000ul, "ARM64", 8, "Core", "x0")]
    [InlineData(0x6030_0000_0010_003Cul, "ARM64", 8, "Core", "x30")]
    [InlineData(0x6030_0000_0010_003Eul, "ARM64", 8, "Core", "sp")]
    [InlineData(0x6030_0000_0010_0040ul, "ARM64", 8, "Core", "pc")]
    [InlineData(0x6030_0000_0010_0042ul, "ARM64", 8, "Core", "pstate")]
    [InlineData(0x6030_0000_0010_0044ul, "ARM64", 8, "Core", "sp_el1")]
    [InlineData(0x6030_0000_0010_0046ul, "ARM64", 8, "Core", "elr_el1")]
    [InlineData(0x6030_0000_0010_0048ul, "ARM64", 8, "Core", "spsr_el1")]
    [InlineData(0x6040_0000_0010_0054ul, "ARM64", 16, "Core", "v0")]
    [InlineData(0x6040_0000_0010_0058ul, "ARM64", 16, "Core", "v1")]
    [InlineData(0x6020_0000_0010_00D4ul, "ARM64", 4, "Core", "fpsr")]
    [InlineData(0x6020_0000_0010_00D5ul, "ARM64", 4, "Core", "fpcr")]
    [InlineData(0x6030_0000_0013_DF1Aul, "ARM64", 8, "SysReg", "S3_3_C14_C3_2")]
    [InlineData(0x6030_0000_0014_0000ul, "ARM64", 8, "Firmware", "PSCI_VERSION")]
    [InlineData(0x6080_0000_0015_0021ul, "ARM64", 256, "Sve", "Z1[1]")]
    [InlineData(0x6050_0000_0015_0420ul, "ARM64", 32, "Sve", "P1[0]")]
    [InlineData(0x6050_0000_0015_0600ul, "ARM64", 32, "Sve", "FFR[0]")]
    [InlineData(0x6060_0000_0015_FFFFul, "ARM64", 64, "Sve", "SVE_VLS")]
    [InlineData(0x6030_0000_0016_0001ul, "ARM64", 8, "FirmwareFeatures", "STD_HYP_BMAP")]
    [InlineData(0x6020_0000_0011_0003ul, "ARM64", 4, "Demux", "CCSIDR[3]")]
    [InlineData(0x5030_0000_0000_0001ul, "S390", 8, "S390", "0x5030000000000001")]
    [InlineData(0x2030_0002_0000_0000ul, "X86", 8, "X86", "0x2030000200000000")]
    public void Ids_decode_into_architecture_size_group_and_name(ulong id, string arch, int size, string group, string name)
    {
        var reg = new KvmRegisterId(1, 0, id);
        Assert.Equal(arch, reg.Architecture);
        Assert.Equal(size, reg.SizeBytes);
        Assert.Equal(group, reg.Group);
        Assert.Equal(name, reg.Name);
    }
}
