using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace KvmPS.Kvm;

/// <summary>Where the engine (Start-KvmVm) has a VM or one of its vCPUs.</summary>
[JsonConverter(typeof(StringEnumConverter))]
public enum RunState
{
    /// <summary>Never started.</summary>
    Created,
    /// <summary>Its vCPUs run guest code on their threads.</summary>
    Running,
    /// <summary>The guest halted (HLT without an in-kernel irqchip); a VM is Halted when all its vCPUs are.</summary>
    Halted,
    /// <summary>Stopped by Stop-KvmVm, the guest (debug-exit, shutdown port, KVM_SYSTEM_EVENT) or removal.</summary>
    Stopped,
    /// <summary>A guest error (triple fault, internal error, failed entry) ended it; FailureReason says which.</summary>
    Failed,
}
