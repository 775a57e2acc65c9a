using System.Management.Automation;
using KvmPS.PowerShell;

namespace KvmPS.PowerShell.Tests;

public sealed class NumberParserTests
{
    [Theory]
    [InlineData(-65536, 0xffff0000UL)]          // 0xffff0000 as PowerShell parses it
    [InlineData(-16, 0xfffffff0UL)]             // 0xfffffff0, the x86 reset vector
    [InlineData(-1, 0xffffffffUL)]
    [InlineData(int.MinValue, 0x80000000UL)]
    public void NegativeInt32IsItsUnsigned32BitPattern(int parsed, ulong expected) => Assert.Equal(expected, NumberParser.Transform(parsed));

    [Theory]
    [InlineData(-1L, ulong.MaxValue)]            // 0xffffffffffffffff
    [InlineData(long.MinValue, 0x8000000000000000UL)]
    public void NegativeInt64IsItsUnsigned64BitPattern(long parsed, ulong expected) => Assert.Equal(expected, NumberParser.Transform(parsed));

    [Fact]
    public void NegativeSmallIntegersKeepTheirWidth()
    {
        Assert.Equal(0xffffUL, NumberParser.Transform((short)-1));
        Assert.Equal(0xffUL, NumberParser.Transform((sbyte)-1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(int.MaxValue)]
    public void NonNegativeValuesPassThroughUnchanged(int value) => Assert.Equal(value, NumberParser.Transform(value));

    [Fact]
    public void OtherTypesPassThroughForPowerShellToConvert()
    {
        Assert.Equal(1.5, NumberParser.Transform(1.5));
        Assert.Equal(7UL, NumberParser.Transform(7UL));
        Assert.Null(NumberParser.Transform(null));
        Assert.Equal(0xffff0000UL, NumberParser.Transform(PSObject.AsPSObject(-65536)));
    }

    [Theory]
    [InlineData("0xffff0000", 0xffff0000UL)]
    [InlineData("0XFFFF0000", 0xffff0000UL)]
    [InlineData(" 4096 ", 4096UL)]
    [InlineData("+12", 12UL)]
    [InlineData("64KB", 65536UL)]
    [InlineData("64kb", 65536UL)]
    [InlineData("2MB", 2UL << 20)]
    [InlineData("1GB", 1UL << 30)]
    [InlineData("3TB", 3UL << 40)]
    [InlineData("1PB", 1UL << 50)]
    [InlineData("0x10KB", 16UL << 10)]
    [InlineData("0xffffffffffffffff", ulong.MaxValue)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("0", 0UL)]
    public void StringsAreDecimalOrHexWithAnOptionalMultiplier(string text, ulong expected) => Assert.Equal(expected, NumberParser.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("0x")]
    [InlineData("KB")]
    [InlineData("-1")]
    [InlineData("12abc")]
    [InlineData("0xfg")]
    [InlineData("1.5GB")]
    [InlineData("18446744073709551616")]       // 2^64
    [InlineData("0x10000000000000000")]
    [InlineData("16384PB")]                    // 2^64 bytes
    public void MalformedOrOversizedStringsAreRefused(string text) => Assert.Throws<ArgumentException>(() => NumberParser.Parse(text));

    [Fact]
    public void ArraysAreTransformedElementByElement()
    {
        object?[] result = Assert.IsType<object?[]>(NumberParser.Transform(new object[] { -16, "64KB", 5 }));
        Assert.Equal(new object?[] { 0xfffffff0UL, 65536UL, 5 }, result);
    }

    [Fact]
    public void ToUInt64RefusesNull() => Assert.Throws<ArgumentException>(() => NumberParser.ToUInt64(null));

    [Fact]
    public void TheAttributeReportsMalformedInputAsATransformationError() =>
        Assert.Throws<ArgumentTransformationMetadataException>(() => new NumberTransformationAttribute().Transform(null!, "nope"));
}

public sealed class SignedNumberTransformationTests
{
    [Fact]
    public void SignedParametersKeepNegativeNumbersForTheirRangeCheck()
    {
        var signed = new NumberTransformationAttribute { Signed = true };
        Assert.Equal(-1, signed.Transform(null!, -1));
        Assert.Equal(-1L, signed.Transform(null!, "-1"));   // how PowerShell passes "-Id -1"
        Assert.Equal(65536UL, signed.Transform(null!, "64KB"));
        Assert.Equal(new object?[] { 16UL, -2 }, signed.Transform(null!, new object[] { "0x10", -2 }));
    }
}
