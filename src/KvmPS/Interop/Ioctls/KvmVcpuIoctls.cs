using KvmPS.Interop.Abi;
using static KvmPS.Interop.Ioctls.IoctlDefinition;
using static KvmPS.Interop.Ioctls.KvmIoctlType;

namespace KvmPS.Interop.Ioctls;

/// <summary>ioctls on a vCPU descriptor; api.txt section 1 requires issuing them from the creating thread.</summary>
public static class KvmVcpuIoctls
{
    public static readonly IoctlDefinition Run = IO(Kvmio, "KVM_RUN", 0x80);
    public static readonly IoctlDefinition GetRegs = IOR(Kvmio, "KVM_GET_REGS", 0x81, RegisterStructs.Regs);
    public static readonly IoctlDefinition SetRegs = IOW(Kvmio, "KVM_SET_REGS", 0x82, RegisterStructs.Regs);
    public static readonly IoctlDefinition GetSregs = IOR(Kvmio, "KVM_GET_SREGS", 0x83, RegisterStructs.Sregs);
    public static readonly IoctlDefinition SetSregs = IOW(Kvmio, "KVM_SET_SREGS", 0x84, RegisterStructs.Sregs);
    public static readonly IoctlDefinition Interrupt = IOW(Kvmio, "KVM_INTERRUPT", 0x86, InterruptStructs.Interrupt);

    /// <summary>x86 only: struct kvm_cpuid2 exists only in x86's asm/kvm.h (api.txt 4.20, 4.104).</summary>
    public static readonly IoctlDefinition SetCpuid2 = IOW(Kvmio, "KVM_SET_CPUID2", 0x90, X86Structs.Cpuid2);
    public static readonly IoctlDefinition GetCpuid2 = IOWR(Kvmio, "KVM_GET_CPUID2", 0x91, X86Structs.Cpuid2);

    public static readonly IoctlDefinition GetMpState = IOR(Kvmio, "KVM_GET_MP_STATE", 0x98, X86Structs.MpState);
    public static readonly IoctlDefinition SetMpState = IOW(Kvmio, "KVM_SET_MP_STATE", 0x99, X86Structs.MpState);
    public static readonly IoctlDefinition Nmi = IO(Kvmio, "KVM_NMI", 0x9a);

    /// <summary>Also VM ioctls where KVM_CAP_VM_TSC_CONTROL is present (api.txt 4.55, 4.56); the argument is the value itself.</summary>
    public static readonly IoctlDefinition SetTscKhz = IO(Kvmio, "KVM_SET_TSC_KHZ", 0xa2);
    public static readonly IoctlDefinition GetTscKhz = IO(Kvmio, "KVM_GET_TSC_KHZ", 0xa3);
}
