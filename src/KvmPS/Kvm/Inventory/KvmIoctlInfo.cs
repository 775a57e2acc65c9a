namespace KvmPS.Kvm.Inventory;

/// <summary>
/// One ioctl as Get-KvmIoctl reports it: where api.txt documents it, the descriptor it is issued on, the capability
/// that announces it, whether KvmPS declares it and for which architectures, whether this host supports it, the
/// cmdlets that issue it, and for a removed ioctl what replaced it.
/// </summary>
public sealed record KvmIoctlInfo
{
    public required string Name { get; init; }

    /// <summary>The section of api.txt (Linux 4.19's numbering), "-" for one without a section.</summary>
    public required string Section { get; init; }

    /// <summary>The descriptor types it is issued on: system, vm, vcpu, device, or a VFIO container, group or device.</summary>
    public required string Type { get; init; }

    /// <summary>The KVM_CAP_* that announces it, "basic" for API version 12, "-" for VFIO.</summary>
    public required string Capability { get; init; }

    /// <summary>The architectures whose UAPI headers give it a number, as KvmPS declares it; empty when KvmPS does not declare it.</summary>
    public required string Architectures { get; init; }

    /// <summary>The request number on this host's architecture, when KvmPS declares the ioctl there.</summary>
    public uint? Number { get; init; }

    public bool Declared { get; init; }

    /// <summary>True or false by the capability on this host's KVM; null when that cannot be told (no KVM, a capability KvmPS does not know).</summary>
    public bool? SupportedOnHost { get; init; }

    public bool Removed { get; init; }
    public string? ReplacedBy { get; init; }

    /// <summary>The cmdlets that issue it, comma-separated; empty when none does.</summary>
    public string Cmdlet { get; init; } = "";

    public override string ToString() => Name;
}
