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
}
