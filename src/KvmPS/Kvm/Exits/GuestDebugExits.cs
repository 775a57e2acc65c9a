namespace KvmPS.Kvm.Exits;

/// <summary>
/// KVM_EXIT_DEBUG: a breakpoint, watchpoint or single step under KVM_SET_GUEST_DEBUG. kvm_run.debug.arch differs
/// per architecture; the subclass says which.
/// </summary>
public abstract class GuestDebugExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason);

/// <summary>x86 KVM_EXIT_DEBUG: the vector (1 for #DB, 3 for #BP), the guest rip and DR6/DR7.</summary>
public sealed class X86DebugExit(int vmId, int vcpuId, uint rawReason) : GuestDebugExit(vmId, vcpuId, rawReason)
{
    public uint Exception { get; init; }
    public ulong Pc { get; init; }
    public ulong Dr6 { get; init; }
    public ulong Dr7 { get; init; }

    public override string ToString() => $"KVM_EXIT_DEBUG exception {Exception} at 0x{Pc:X}";
}

/// <summary>arm64 KVM_EXIT_DEBUG: ESR_EL2 (hsr, and hsr_high its bits 61:32) and FAR for a watchpoint.</summary>
public sealed class ArmDebugExit(int vmId, int vcpuId, uint rawReason) : GuestDebugExit(vmId, vcpuId, rawReason)
{
    public ulong Esr { get; init; }
    public ulong Far { get; init; }
}

/// <summary>powerpc KVM_EXIT_DEBUG: the address and KVMPPC_DEBUG_* status.</summary>
public sealed class PpcDebugExit(int vmId, int vcpuId, uint rawReason) : GuestDebugExit(vmId, vcpuId, rawReason)
{
    public ulong Address { get; init; }
    public uint Status { get; init; }
}

/// <summary>s390 KVM_EXIT_DEBUG: the address and KVM_HW_* type of the event.</summary>
public sealed class S390DebugExit(int vmId, int vcpuId, uint rawReason) : GuestDebugExit(vmId, vcpuId, rawReason)
{
    public ulong Address { get; init; }
    public byte Type { get; init; }
}
