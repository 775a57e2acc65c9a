using Xunit;

namespace KvmPS.Abi.Tests;

public sealed class AssemblyConstantsTests
{
    [Fact]
    public void ReadsEachTargetsSpellingOfAnEightByteConstant()
    {
        const string assembly = """
                .globl  p_0
                .section .rodata
                .align 8
                .type   p_0, @object
                .size   p_0, 8
            p_0:
                .quad   3222056672
            p_1:
                .xword  44547
            p_2:
                .zero   8
            p_3:
                .8byte  0x2000ae80
            p_4:
                .quad   -1
            """;

        var values = AssemblyConstants.Parse(assembly, "p_");

        Assert.Equal(3222056672UL, values[0]);
        Assert.Equal(44547UL, values[1]);
        Assert.Equal(0UL, values[2]);
        Assert.Equal(0x2000ae80UL, values[3]);
        Assert.Equal(ulong.MaxValue, values[4]);
    }

    [Fact]
    public void RefusesALabelFollowedBySomethingElse()
    {
        Assert.Throws<FormatException>(() => AssemblyConstants.Parse("p_0:\n\t.long 5\n\t.long 0\n", "p_"));
        Assert.Throws<FormatException>(() => AssemblyConstants.Parse("p_0:\n\t.zero 16\n", "p_"));
    }
}
