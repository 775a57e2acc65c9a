namespace KvmPS.Kvm.Exits;

/// <summary>KVM_EXIT_UNKNOWN: hardware_exit_reason.</summary>
public sealed class UnknownExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong HardwareExitReason { get; init; }
}

/// <summary>KVM_EXIT_FAIL_ENTRY: the hardware refused to enter the guest.</summary>
public sealed class FailEntryExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong HardwareEntryFailureReason { get; init; }
    public uint Cpu { get; init; }
}

/// <summary>KVM_EXIT_EXCEPTION.</summary>
public sealed class ExceptionExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public uint Exception { get; init; }
    public uint ErrorCode { get; init; }
}

/// <summary>KVM_EXIT_INTERNAL_ERROR: suberror and up to 16 words of data.</summary>
public sealed class InternalErrorExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public uint Suberror { get; init; }
    public ulong[] Data { get; init; } = [];

    /// <summary>
    /// KVM_INTERNAL_ERROR_EMULATION with KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES: the bytes of the
    /// instruction the kernel could not emulate (kvm_run.emulation_failure); empty otherwise.
    /// </summary>
    public byte[] InstructionBytes { get; init; } = [];

    /// <summary>The KVM_INTERNAL_ERROR_* name of <see cref="Suberror"/> (linux/kvm.h).</summary>
    public string SuberrorName => NameOf(Suberror);

    internal static string NameOf(uint suberror) => suberror switch
    {
        1 => "KVM_INTERNAL_ERROR_EMULATION",
        2 => "KVM_INTERNAL_ERROR_SIMUL_EX",
        3 => "KVM_INTERNAL_ERROR_DELIVERY_EV",
        4 => "KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON",
        _ => $"KVM_INTERNAL_ERROR_{suberror}",
    };

    public override string ToString() => $"KVM_EXIT_INTERNAL_ERROR {SuberrorName}";
}

/// <summary>KVM_EXIT_SYSTEM_EVENT: shutdown, reset, crash, ... (api.txt section 5).</summary>
public sealed class SystemEventExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public uint Type { get; init; }

    public string TypeName => NameOf(Type);

    internal static string NameOf(uint type) => type switch
    {
        1 => "KVM_SYSTEM_EVENT_SHUTDOWN",
        2 => "KVM_SYSTEM_EVENT_RESET",
        3 => "KVM_SYSTEM_EVENT_CRASH",
        4 => "KVM_SYSTEM_EVENT_WAKEUP",
        5 => "KVM_SYSTEM_EVENT_SUSPEND",
        6 => "KVM_SYSTEM_EVENT_SEV_TERM",
        _ => $"type {type}",
    };

    public ulong[] Data { get; init; } = [];
}

/// <summary>KVM_EXIT_HYPERCALL.</summary>
public sealed class HypercallExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong Number { get; init; }
    public ulong[] Arguments { get; init; } = [];
    public ulong Return { get; init; }
}

/// <summary>KVM_EXIT_PAPR_HCALL (powerpc, with KVM_CAP_PPC_PAPR enabled): the hcall number, its nine arguments and return slot.</summary>
public sealed class PaprHcallExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong Number { get; init; }
    public ulong[] Arguments { get; init; } = [];
    public ulong Return { get; init; }

    public override string ToString() => $"KVM_EXIT_PAPR_HCALL 0x{Number:X}";
}

/// <summary>KVM_EXIT_OSI (powerpc, with KVM_CAP_PPC_OSI enabled): the guest's 32 GPRs, which userspace may change.</summary>
public sealed class OsiExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong[] Gprs { get; init; } = [];
}

/// <summary>KVM_EXIT_S390_SIEIC: an intercept the kernel leaves to userspace.</summary>
public sealed class S390SieicExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public byte InterceptCode { get; init; }
    public ushort Ipa { get; init; }
    public uint Ipb { get; init; }
}

/// <summary>KVM_EXIT_S390_UCONTROL: a page fault in a user-controlled VM, resolved with UCAS_MAP or VCPU_FAULT.</summary>
public sealed class S390UcontrolExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong TranslationExceptionCode { get; init; }
    public uint ProgramCode { get; init; }
}

/// <summary>
/// KVM_EXIT_MEMORY_FAULT (api.rst 5, Linux 6.8): an access KVM could not resolve against the memory attributes,
/// such as a private access to memory a guest_memfd slot holds as shared; user space converts the range and re-runs.
/// </summary>
public sealed class MemoryFaultExit(int vmId, int vcpuId, uint rawReason) : VcpuExit(vmId, vcpuId, rawReason)
{
    public ulong Flags { get; init; }

    /// <summary>KVM_MEMORY_EXIT_FLAG_PRIVATE: the access was private.</summary>
    public bool IsPrivate => (Flags & (1UL << 3)) != 0;

    /// <summary>The guest-physical start of the faulting range.</summary>
    public ulong Address { get; init; }

    public ulong Size { get; init; }
}
