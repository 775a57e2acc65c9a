using KvmPS.Kvm;

namespace KvmPS.Tests.Kvm;

public sealed class ProcessWideDefaultTests
{
    private sealed class Counted : IDisposable
    {
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void CreatesOnceDisposesOnResetAndStartsFreshAfterwards()
    {
        int created = 0;
        var holder = new ProcessWideDefault<Counted>(() => { created++; return new Counted(); });

        Counted first = holder.Value;
        Assert.Same(first, holder.Value);
        holder.Reset();
        Counted second = holder.Value;

        Assert.True(first.Disposed);
        Assert.NotSame(first, second);
        Assert.Equal(2, created);
    }
}
