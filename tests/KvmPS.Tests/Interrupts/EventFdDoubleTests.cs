using KvmPS.Interop;
using KvmPS.Kvm;
using KvmPS.Tests.Doubles;

namespace KvmPS.Tests.Interrupts;

/// <summary>KvmEventFd through the kernel double's eventfd: signals add up, reads never block, the total survives closing.</summary>
public sealed class EventFdDoubleTests
{
    [Fact]
    public void TheTotalCountsEverySignalAcrossReadsAndOutlivesTheDescriptor()
    {
        (KernelDouble kernel, KvmDouble _) = KvmDouble.Create(CpuArchitecture.X86_64);
        KvmEventFd eventFd = KvmEventFd.Create(kernel.Kernel);

        Assert.Equal(0ul, eventFd.Total);   // EAGAIN, not a block
        eventFd.Signal();
        eventFd.Signal(2);
        Assert.Equal(3ul, eventFd.Total);
        eventFd.Signal();
        eventFd.Dispose();

        Assert.Equal(4ul, eventFd.Total);
        Assert.Throws<ObjectDisposedException>(() => eventFd.Signal());
    }
}
