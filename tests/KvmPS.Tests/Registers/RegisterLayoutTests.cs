using KvmPS.Interop;
using KvmPS.Interop.Abi;
using KvmPS.Kvm.Registers;

namespace KvmPS.Tests.Registers;

public sealed class RegisterLayoutTests
{
    [Fact]
    public void Arm64VectorRegistersAreSplitIntoHalvesThatRoundTrip()
    {
        var layout = new RegisterLayout(RegisterStructs.Regs.LayoutOn(CpuArchitecture.Aarch64));
        Assert.True(layout.Has("fp_regs.vregs[31].lo"));
        Assert.True(layout.Has("fp_regs.vregs[31].hi"));
        Assert.False(layout.Has("fp_regs.vregs[31]"));
        byte[] buffer = new byte[layout.Size];

        layout.Write(buffer, "fp_regs.vregs[1].lo", 0x1111111111111111);
        layout.Write(buffer, "fp_regs.vregs[1].hi", 0x2222222222222222);

        Assert.Equal(0x1111111111111111ul, layout.Read(buffer, "fp_regs.vregs[1].lo"));
        Assert.Equal(0x2222222222222222ul, layout.Read(buffer, "fp_regs.vregs[1].hi"));
        Assert.Equal(0ul, layout.Read(buffer, "fp_regs.vregs[0].hi"));
        Assert.Equal(0ul, layout.Read(buffer, "fp_regs.vregs[2].lo"));
    }

    [Theory]
    [InlineData(CpuArchitecture.X86_64, "rip")]
    [InlineData(CpuArchitecture.Aarch64, "regs.pc")]
    [InlineData(CpuArchitecture.PowerPC64LE, "gpr[31]")]
    [InlineData(CpuArchitecture.S390x, "gprs[15]")]
    public void EveryArchitectureNamesItsGeneralRegistersAsTheHeadersDo(CpuArchitecture arch, string name)
    {
        var layout = new RegisterLayout(RegisterStructs.Regs.LayoutOn(arch));
        Assert.True(layout.Has(name), string.Join(", ", layout.Slots.Select(s => s.Name)));
        Assert.All(layout.Slots, s => Assert.InRange(s.Size, 1, 8));
    }
}
