using KvmPS.Interop;
using KvmPS.Interop.Ioctls;

namespace KvmPS.Kvm;

/// <summary>Interrupts injected into one vCPU: KVM_INTERRUPT (api.txt 4.16) and KVM_NMI (4.64).</summary>
public static class VcpuInterrupts
{
    /// <summary>
    /// Queues external interrupt <paramref name="vector"/> (x86). Only for VMs without an in-kernel irqchip: with one,
    /// the kernel owns interrupt delivery and answers ENXIO, so this refuses before the ioctl.
    /// </summary>
    public static void Interrupt(KvmVcpu vcpu, uint vector)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        if (vector > 255)
        {
            throw new KvmPSException("InvalidInterruptVector", ErrorKind.InvalidArgument, $"Vector {vector} does not exist; x86 vectors are 0..255.",
                recommendedAction: "Give a vector from 32 to 255 (0-31 are exceptions).");
        }
        if (vcpu.Vm.HasIrqchip)
        {
            throw new KvmPSException("IrqchipInKernel", ErrorKind.InvalidOperation,
                $"VM {vcpu.VmId} has an in-kernel irqchip, which delivers interrupts itself: KVM_INTERRUPT works only without one (api.txt 4.16); raise an irqchip input (KVM_IRQ_LINE) or send an MSI instead.");
        }
        vcpu.OnVcpuThread(handle =>
        {
            uint irq = vector;
            return handle.Ioctl(KvmVcpuIoctls.Interrupt, ref irq, errno => errno == Errno.EEXIST
                ? "An interrupt is already queued on this vCPU; run it until the guest takes it, then inject again."
                : null);
        });
    }

    /// <summary>Queues an NMI on the vCPU (x86, KVM_CAP_USER_NMI); with an in-kernel irqchip it goes through the vCPU's LAPIC LINT1.</summary>
    public static void Nmi(KvmVcpu vcpu)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        vcpu.Vm.RequireCapability(KvmCapability.UserNmi, "injecting NMIs (KVM_NMI)");
        vcpu.OnVcpuThread(handle => handle.Ioctl(KvmVcpuIoctls.Nmi));
    }
}
