using KvmPS.Interop.Abi;
using KvmPS.Interop.Handles;
using static KvmPS.Interop.Ioctls.IoctlsOn<KvmPS.Interop.Handles.IKvmVcpuDescriptor>;
using static KvmPS.Interop.Ioctls.KvmIoctlType;

namespace KvmPS.Interop.Ioctls;

/// <summary>ioctls on a vCPU descriptor; api.txt section 1 requires issuing them from the creating thread.</summary>
internal static class KvmVcpuIoctls
{
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> Run = IO(Kvmio, "KVM_RUN", 0x80).AnswersInterrupts();
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetRegs = IOR(Kvmio, "KVM_GET_REGS", 0x81, RegisterStructs.Regs);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetRegs = IOW(Kvmio, "KVM_SET_REGS", 0x82, RegisterStructs.Regs);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetSregs = IOR(Kvmio, "KVM_GET_SREGS", 0x83, RegisterStructs.Sregs);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetSregs = IOW(Kvmio, "KVM_SET_SREGS", 0x84, RegisterStructs.Sregs);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> Interrupt = IOW(Kvmio, "KVM_INTERRUPT", 0x86, InterruptStructs.Interrupt);

    /// <summary>x86 only: struct kvm_cpuid2 exists only in x86's asm/kvm.h (api.txt 4.20, 4.104).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetCpuid2 = IOW(Kvmio, "KVM_SET_CPUID2", 0x90, X86Structs.Cpuid2);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetCpuid2 = IOWR(Kvmio, "KVM_GET_CPUID2", 0x91, X86Structs.Cpuid2);

    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetMpState = IOR(Kvmio, "KVM_GET_MP_STATE", 0x98, X86Structs.MpState);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetMpState = IOW(Kvmio, "KVM_SET_MP_STATE", 0x99, X86Structs.MpState);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> Nmi = IO(Kvmio, "KVM_NMI", 0x9a);

    /// <summary>Also VM ioctls where KVM_CAP_VM_TSC_CONTROL is present (api.txt 4.55, 4.56); the argument is the value itself.</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetTscKhz = IO(Kvmio, "KVM_SET_TSC_KHZ", 0xa2);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetTscKhz = IO(Kvmio, "KVM_GET_TSC_KHZ", 0xa3);

    /// <summary>x86 only (kvm_msrs); both return the number of MSRs processed, stopping at the first refused (api.txt 4.18, 4.19).</summary>
    public static readonly IoctlDefinition<IMsrsDescriptor> GetMsrs = IoctlsOn<IMsrsDescriptor>.IOWR(Kvmio, "KVM_GET_MSRS", 0x88, X86StateStructs.Msrs);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetMsrs = IOW(Kvmio, "KVM_SET_MSRS", 0x89, X86StateStructs.Msrs);

    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetFpu = IOR(Kvmio, "KVM_GET_FPU", 0x8c, X86StateStructs.Fpu);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetFpu = IOW(Kvmio, "KVM_SET_FPU", 0x8d, X86StateStructs.Fpu);

    /// <summary>linux/kvm.h defines them everywhere, but struct kvm_lapic_state only x86 (api.txt 4.57, 4.58).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetLapic = IOR(Kvmio, "KVM_GET_LAPIC", 0x8e, X86StateStructs.LapicState);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetLapic = IOW(Kvmio, "KVM_SET_LAPIC", 0x8f, X86StateStructs.LapicState);

    /// <summary>x86 and arm64, each with its own struct (api.txt 4.31, 4.32).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetVcpuEvents = IOR(Kvmio, "KVM_GET_VCPU_EVENTS", 0x9f, X86StateStructs.VcpuEvents);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetVcpuEvents = IOW(Kvmio, "KVM_SET_VCPU_EVENTS", 0xa0, X86StateStructs.VcpuEvents);

    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetDebugRegs = IOR(Kvmio, "KVM_GET_DEBUGREGS", 0xa1, X86StateStructs.DebugRegs);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetDebugRegs = IOW(Kvmio, "KVM_SET_DEBUGREGS", 0xa2, X86StateStructs.DebugRegs);

    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetXsave = IOR(Kvmio, "KVM_GET_XSAVE", 0xa4, X86StateStructs.Xsave);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetXsave = IOW(Kvmio, "KVM_SET_XSAVE", 0xa5, X86StateStructs.Xsave);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetXcrs = IOR(Kvmio, "KVM_GET_XCRS", 0xa6, X86StateStructs.Xcrs);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetXcrs = IOW(Kvmio, "KVM_SET_XCRS", 0xa7, X86StateStructs.Xcrs);

    /// <summary>Its size field says 4096, but it writes as many bytes as KVM_CHECK_EXTENSION(KVM_CAP_XSAVE2) returns (api.txt 4.135).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetXsave2 = IOR(Kvmio, "KVM_GET_XSAVE2", 0xcf, X86StateStructs.Xsave);

    /// <summary>Both _IOW: the struct carries the buffer's address, which the kernel writes for GET (api.txt 4.68-4.69).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> GetOneReg = IOW(Kvmio, "KVM_GET_ONE_REG", 0xab, KvmStructs.OneReg);
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetOneReg = IOW(Kvmio, "KVM_SET_ONE_REG", 0xac, KvmStructs.OneReg);

    /// <summary>A guest linear address through the vCPU's current page tables (api.txt 4.15; x86 and booke ppc act on it).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> Translate = IOWR(Kvmio, "KVM_TRANSLATE", 0x85, KvmStructs.Translation);

    /// <summary>x86 only: the legacy kvm_cpuid, without index and flags (api.txt 4.20).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetCpuid = IOW(Kvmio, "KVM_SET_CPUID", 0x8a, X86Structs.Cpuid);

    /// <summary>The signals blocked while the vCPU runs in KVM_RUN; a NULL argument clears the mask (api.txt 4.21).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetSignalMask = IOW(Kvmio, "KVM_SET_SIGNAL_MASK", 0x8b, KvmStructs.SignalMask);

    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetGuestDebug = IOW(Kvmio, "KVM_SET_GUEST_DEBUG", 0x9b, KvmStructs.GuestDebug);

    /// <summary>linux/kvm.h defines the number everywhere; only x86 answers it (KVM_CAP_MCE, api.txt 4.106).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetupMce = IOW(Kvmio, "KVM_X86_SETUP_MCE", 0x9c, CPrimitive.U64);

    /// <summary>Its struct exists only on x86 (api.txt 4.107).</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> SetMce = IOW(Kvmio, "KVM_X86_SET_MCE", 0x9e, X86Structs.X86Mce);

    /// <summary>Tells the guest's kvmclock the vCPU was paused (api.txt 4.70); EINVAL when the guest set up no pvclock.</summary>
    public static readonly IoctlDefinition<IKvmVcpuDescriptor> KvmclockCtrl = IO(Kvmio, "KVM_KVMCLOCK_CTRL", 0xad);
}
