using KvmPS.Interop;

namespace KvmPS.Tests.Interop;

/// <summary>Every errno the module knows has its name and meaning, so no error message says ERRNO&lt;n&gt; for a known one.</summary>
public sealed class ErrnoTests
{
    [Fact]
    public void EveryErrnoHasItsName()
    {
        Assert.NotEmpty(Errno.All);
        Assert.All(Errno.All, errno => Assert.DoesNotMatch("^ERRNO", Errno.NameOf(errno)));
        Assert.Equal("EISDIR", Errno.NameOf(21));
        Assert.Equal("ENOTSUPP", Errno.NameOf(524));
        Assert.Equal("ERRNO9999", Errno.NameOf(9999));
    }
}
