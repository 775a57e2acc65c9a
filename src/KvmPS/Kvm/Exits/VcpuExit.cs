namespace KvmPS.Kvm.Exits;

/// <summary>Why KVM_RUN returned: kvm_run.exit_reason and, in subclasses, the decoded exit-union member.</summary>
public class VcpuExit
{
    public VcpuExit(int vmId, int vcpuId, uint rawReason)
    {
        VmId = vmId;
        VcpuId = vcpuId;
        RawReason = rawReason;
    }

    public int VmId { get; }
    public int VcpuId { get; }
    public uint RawReason { get; }
    public KvmExitReason Reason => (KvmExitReason)RawReason;
    public string KernelName => KvmNames.ExitName(RawReason);

    /// <summary>True when KVM_RUN was interrupted (EINTR, KVM_EXIT_INTR) rather than exiting for the guest.</summary>
    public bool Interrupted { get; init; }

    // The kvm_run header as KVM_RUN left it (api.rst section 5). if_flag, ready_for_interrupt_injection and cr8
    // are x86's; apic_base too. Other architectures leave them 0.

    /// <summary>kvm_run.if_flag: the guest's RFLAGS.IF.</summary>
    public bool IfFlag { get; internal set; }

    /// <summary>kvm_run.ready_for_interrupt_injection: KVM_INTERRUPT would be delivered now (userspace irqchip).</summary>
    public bool ReadyForInterruptInjection { get; internal set; }

    /// <summary>kvm_run.flags (KVM_RUN_X86_SMM, KVM_RUN_X86_BUS_LOCK on x86).</summary>
    public ushort RunFlags { get; internal set; }

    /// <summary>kvm_run.cr8: the task priority.</summary>
    public ulong Cr8 { get; internal set; }

    /// <summary>kvm_run.apic_base: the APIC base MSR.</summary>
    public ulong ApicBase { get; internal set; }

    public override string ToString() => KernelName;
}
