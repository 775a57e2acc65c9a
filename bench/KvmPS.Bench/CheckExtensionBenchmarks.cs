using BenchmarkDotNet.Attributes;
using KvmPS.Kvm;

namespace KvmPS.Bench;

/// <summary>KVM_CHECK_EXTENSION(KVM_CAP_USER_MEMORY) on /dev/kvm.</summary>
public class CheckExtensionBenchmarks : ReferenceComparison
{
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "C ioctl(KVM_CHECK_EXTENSION)")]
    public long CCheckExtension() => Reference.CheckExtension(Operations);

    [Benchmark(OperationsPerInvoke = Operations, Description = "KvmSystem.CheckExtension()")]
    public long KvmPSCheckExtension()
    {
        KvmSystem system = Guest.System;
        long sum = 0;
        for (int i = 0; i < Operations; i++)
        {
            sum += system.CheckExtension(KvmCapability.UserMemory);
        }
        return sum;
    }
}
