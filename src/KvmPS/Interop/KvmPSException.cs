namespace KvmPS.Interop;

/// <summary>
/// Every failure the module reports: a message the user can act on, a stable ErrorId (e.g.
/// <c>KVM_SET_USER_MEMORY_REGION.EEXIST</c>, <c>InvalidGuestAddress</c>) and the kind of failure.
/// </summary>
public class KvmPSException : Exception
{
    public KvmPSException(string errorId, ErrorKind kind, string message, Exception? inner = null, string? recommendedAction = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        RecommendedAction = recommendedAction;
    }

    public string ErrorId { get; }
    public ErrorKind Kind { get; }

    /// <summary>What the user can do about it; ErrorDetails.RecommendedAction of the ErrorRecord.</summary>
    public string? RecommendedAction { get; }

    /// <summary>A documented precondition failed before any ioctl was issued.</summary>
    public static KvmPSException InvalidArgument(string errorId, string message) => new(errorId, ErrorKind.InvalidArgument, message);

    public static KvmPSException InvalidOperation(string errorId, string message) => new(errorId, ErrorKind.InvalidOperation, message);

    /// <summary>The host's KVM lacks a capability the operation needs (KVM_CHECK_EXTENSION returned 0).</summary>
    public static KvmPSException NotSupportedByHost(string what, string capabilityName, CpuArchitecture arch) => new(
        $"{capabilityName}.NotSupported", ErrorKind.NotImplemented,
        $"This host does not support {what}: KVM_CHECK_EXTENSION({capabilityName}) returned 0 on this {arch.UnameName()} host. " +
        "Run it on a host whose KVM offers the capability.",
        recommendedAction: $"Run it on a host whose KVM reports {capabilityName}.");
}
