using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Tests.Kvm;

public sealed class AddressRangeTests
{
    [Theory]
    [InlineData(0x1000ul, 0x1000ul, false)]
    [InlineData(ulong.MaxValue - 0xfff, 0x1000ul, true)]   // ends exactly at 2^64: start + size is 0, as the kernel tests it
    [InlineData(ulong.MaxValue, 2ul, true)]
    public void WrapsWhenStartPlusSizeOverflows(ulong start, ulong size, bool wraps) =>
        Assert.Equal(wraps, new AddressRange(start, size).Wraps);

    [Fact]
    public void AWrappingRangeIsRefusedWithItsName()
    {
        var e = Assert.Throws<KvmPSException>(() => new AddressRange(ulong.MaxValue, 2).ThrowIfWraps("SomeRangeWraps", "IOVA range"));
        Assert.Equal("SomeRangeWraps", e.ErrorId);
        Assert.Contains("IOVA range 0xFFFFFFFFFFFFFFFF+0x2 wraps around the address space", e.Message);
    }

    [Theory]
    [InlineData(0x1000ul, 0x1000ul, true)]    // the same range
    [InlineData(0x1ffful, 0x1ul, true)]       // its last byte
    [InlineData(0x2000ul, 0x1000ul, false)]   // adjacent after
    [InlineData(0x0ul, 0x1000ul, false)]      // adjacent before
    [InlineData(0x0ul, 0x3000ul, true)]       // around it
    public void OverlapIsSharingAtLeastOneAddress(ulong start, ulong size, bool overlaps)
    {
        var range = new AddressRange(0x1000, 0x1000);
        Assert.Equal(overlaps, range.Overlaps(new AddressRange(start, size)));
        Assert.Equal(overlaps, new AddressRange(start, size).Overlaps(range));
    }

    [Fact]
    public void ContainsChecksBothEndsWithoutOverflow()
    {
        var range = new AddressRange(0x1000, 0x1000);
        Assert.True(range.Contains(new AddressRange(0x1000, 0x1000)));
        Assert.True(range.Contains(new AddressRange(0x1ff8, 8)));
        Assert.False(range.Contains(new AddressRange(0x1ff8, 9)));
        Assert.False(range.Contains(new AddressRange(0xfff, 2)));
        Assert.False(range.Contains(new AddressRange(0x1800, ulong.MaxValue)));
        Assert.Equal("0x1000-0x1FFF", range.ToString());
    }
}
