using KvmPS.Kvm;

namespace KvmPS.Tests.Kvm;

public sealed class ArchitectureSlotTests
{
    private sealed class DisposableState : IDisposable
    {
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void StateIsCreatedOnceOnFirstUse()
    {
        var slot = new ArchitectureSlot();
        Assert.Null(slot.Find<DisposableState>());
        DisposableState state = slot.Get<DisposableState>();
        Assert.Same(state, slot.Get<DisposableState>());
        Assert.Same(state, slot.Find<DisposableState>());
    }

    [Fact]
    public void AnotherArchitecturesStateIsRefused()
    {
        var slot = new ArchitectureSlot();
        slot.Get<DisposableState>();
        Assert.Throws<InvalidOperationException>(() => slot.Get<List<int>>());
    }

    [Fact]
    public void DisposingTheOwnerDisposesTheState()
    {
        var slot = new ArchitectureSlot();
        DisposableState state = slot.Get<DisposableState>();
        slot.Dispose();
        Assert.True(state.Disposed);
        Assert.Null(slot.Find<DisposableState>());
        Assert.Throws<ObjectDisposedException>(() => slot.Get<DisposableState>());
    }
}
