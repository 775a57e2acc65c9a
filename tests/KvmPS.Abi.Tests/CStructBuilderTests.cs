using KvmPS.Interop.Abi;
using Xunit;

namespace KvmPS.Abi.Tests;

public sealed class CStructBuilderTests
{
    [Fact]
    public void AScalarIsAlignedToItsSizeAndAlignsTheStruct()
    {
        var uint128 = new CPrimitive("__uint128_t", 16);

        CStructLayout layout = CStructLayout.Struct("t").U64("a").U32("b").Scalar("v", uint128, 2).U32("c").Build();

        Assert.Equal(16, layout.OffsetOf("v"));
        Assert.Equal(32, layout.OffsetOf("v[1]"));
        Assert.Equal(48, layout.OffsetOf("c"));
        Assert.Equal(16, layout.Alignment);
        Assert.Equal(64, layout.Size);
    }

    [Fact]
    public void AnEmptyStructHasSizeZero()
    {
        // GNU C's struct kvm_sregs {} on arm64.
        Assert.Equal(0, CStructLayout.Struct("kvm_sregs").Build().Size);
    }
}
