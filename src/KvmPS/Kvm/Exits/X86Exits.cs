namespace KvmPS.Kvm.Exits;

/// <summary>KVM_EXIT_TPR_ACCESS: the guest touched the TPR (KVM_TPR_ACCESS_REPORTING).</summary>
public sealed class TprAccessExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong Rip { get; init; }
    public bool IsWrite { get; init; }
}

/// <summary>KVM_EXIT_IOAPIC_EOI: with the split irqchip, the guest ended a level-triggered interrupt of this vector.</summary>
public sealed class IoapicEoiExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public byte Vector { get; init; }

    public override string ToString() => $"KVM_EXIT_IOAPIC_EOI vector {Vector}";
}

/// <summary>
/// KVM_EXIT_X86_RDMSR or KVM_EXIT_X86_WRMSR (KVM_CAP_X86_USER_SPACE_MSR): the guest accessed MSR
/// <see cref="Index"/>. A read takes its value from msr.data on the next KVM_RUN; msr.error injects #GP.
/// </summary>
public sealed class MsrExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public uint Index { get; init; }

    /// <summary>The KVM_MSR_EXIT_REASON_* bits: why the kernel let userspace handle the access.</summary>
    public uint MsrReason { get; init; }

    /// <summary>What the guest wrote (write); 0 for a read.</summary>
    public ulong Data { get; init; }

    public bool IsWrite => Reason == KvmExitReason.X86Wrmsr;

    public string MsrReasonName => MsrReason switch
    {
        1 => "KVM_MSR_EXIT_REASON_INVAL",
        2 => "KVM_MSR_EXIT_REASON_UNKNOWN",
        4 => "KVM_MSR_EXIT_REASON_FILTER",
        _ => $"0x{MsrReason:X}",
    };

    public override string ToString() => $"{KernelName} 0x{Index:X} ({MsrReasonName})";
}

/// <summary>KVM_EXIT_NOTIFY: the guest stayed in a state the CPU reports (KVM_CAP_X86_NOTIFY_VMEXIT).</summary>
public sealed class NotifyExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public uint Flags { get; init; }

    /// <summary>KVM_NOTIFY_CONTEXT_INVALID: the VM context is corrupted and the VM cannot resume.</summary>
    public bool ContextInvalid => (Flags & 1) != 0;
}

/// <summary>KVM_EXIT_HYPERV: a SynIC MSR write, a Hyper-V hypercall or a synthetic debugger access.</summary>
public sealed class HypervExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    /// <summary>KVM_EXIT_HYPERV_HCALL: a hypercall whose result userspace writes (Invoke-KvmVcpu -HypercallReturn).</summary>
    public const uint HcallType = 2;

    public uint Type { get; init; }

    public string TypeName => Type switch
    {
        1 => "KVM_EXIT_HYPERV_SYNIC",
        2 => "KVM_EXIT_HYPERV_HCALL",
        3 => "KVM_EXIT_HYPERV_SYNDBG",
        _ => $"type {Type}",
    };

    /// <summary>SYNIC and SYNDBG: the MSR written.</summary>
    public uint Msr { get; init; }

    /// <summary>SYNIC and SYNDBG: the control MSR.</summary>
    public ulong Control { get; init; }

    /// <summary>SYNIC: evt_page and msg_page; SYNDBG: status, send_page, recv_page, pending_page.</summary>
    public ulong[] Pages { get; init; } = [];

    /// <summary>HCALL: the hypercall input value and its two parameters.</summary>
    public ulong Input { get; init; }

    public ulong[] Parameters { get; init; } = [];

    public override string ToString() => $"KVM_EXIT_HYPERV {TypeName}";
}

/// <summary>
/// KVM_EXIT_XEN (api.rst 5): with KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL, a Xen hypercall the kernel leaves to user space;
/// Invoke-KvmVcpu -HypercallReturn writes its result.
/// </summary>
public sealed class XenExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    /// <summary>1 is KVM_EXIT_XEN_HCALL, the only type the headers define.</summary>
    public uint Type { get; init; }

    public bool LongMode { get; init; }
    public uint Cpl { get; init; }

    /// <summary>The hypercall number.</summary>
    public ulong Input { get; init; }

    public ulong[] Parameters { get; init; } = [];
}
