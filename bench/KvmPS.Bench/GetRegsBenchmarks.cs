using BenchmarkDotNet.Attributes;
using KvmPS.Kvm;
using KvmPS.Kvm.Registers;

namespace KvmPS.Bench;

/// <summary>KVM_GET_REGS on the vCPU; KvmPS also decodes kvm_regs into named registers.</summary>
public class GetRegsBenchmarks : ReferenceComparison
{
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations, Description = "C ioctl(KVM_GET_REGS)")]
    public long CGetRegs() => Reference.GetRegs(Operations);

    [Benchmark(OperationsPerInvoke = Operations, Description = "KvmVcpu.GetRegisters(General)")]
    public long KvmPSGetRegisters()
    {
        KvmVcpu vcpu = Guest.Vcpu;
        long count = 0;
        for (int i = 0; i < Operations; i++)
        {
            count += vcpu.GetRegisters(RegisterBank.General).Count;
        }
        return count;
    }
}
