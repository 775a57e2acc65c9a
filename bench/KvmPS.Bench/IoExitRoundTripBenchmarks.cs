using BenchmarkDotNet.Attributes;
using KvmPS.Kvm;
using KvmPS.Kvm.Exits;

namespace KvmPS.Bench;

/// <summary>One KVM_RUN that ends in the guest's OUT to 0x3f8, and the exit checked.</summary>
public class IoExitRoundTripBenchmarks : ReferenceComparison
{
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "C ioctl(KVM_RUN)")]
    public long CRun() => Reference.IoExitRoundTrips(Operations);

    [Benchmark(OperationsPerInvoke = Operations, Description = "KvmVcpu.Run()")]
    public long KvmPSRun()
    {
        KvmVcpu vcpu = Guest.Vcpu;
        for (int i = 0; i < Operations; i++)
        {
            if (vcpu.Run() is not IoExit { Direction: IoDirection.Out, Port: EmbeddedGuest.SerialPort, Size: 1, Count: 1 })
            {
                throw new InvalidOperationException($"Expected the guest's OUT to 0x3f8; got {vcpu.LastExit}.");
            }
        }
        return Operations;
    }
}
