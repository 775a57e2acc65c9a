using System.Management.Automation;
using KvmPS.Interop;
using KvmPS.Kvm;

namespace KvmPS.Commands;

/// <summary>
/// Base of every KvmPS cmdlet: runs a call into the object model and turns its exceptions into ErrorRecords whose
/// ErrorId and category come from the exception (e.g. KVM_SET_USER_MEMORY_REGION.EEXIST, ResourceExists).
/// </summary>
public abstract class KvmCmdlet : PSCmdlet
{
    protected static KvmSession Session => KvmSession.Default;

    /// <summary>Runs <paramref name="action"/>; a failure becomes a non-terminating error for this input.</summary>
    protected void Try(object? target, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (IsUserFacing(e))
        {
            WriteError(ToErrorRecord(e, target));
        }
    }

    /// <summary>Runs <paramref name="action"/>; a failure stops the pipeline (used where later input cannot proceed).</summary>
    protected void TryOrStop(object? target, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (IsUserFacing(e))
        {
            ThrowTerminatingError(ToErrorRecord(e, target));
        }
    }

    private static bool IsUserFacing(Exception e) =>
        e is KvmPSException or ArgumentException or ObjectDisposedException or IOException or UnauthorizedAccessException or InvalidCastException;

    internal static ErrorRecord ToErrorRecord(Exception e, object? target) => e switch
    {
        KvmPSException k => new ErrorRecord(k, k.ErrorId, Enum.Parse<ErrorCategory>(k.Kind.ToString()), target),
        ArgumentException => new ErrorRecord(e, "InvalidArgument", ErrorCategory.InvalidArgument, target),
        ObjectDisposedException => new ErrorRecord(e, "ObjectRemoved", ErrorCategory.InvalidOperation, target),
        UnauthorizedAccessException => new ErrorRecord(e, "AccessDenied", ErrorCategory.PermissionDenied, target),
        InvalidCastException => new ErrorRecord(e, "InvalidValue", ErrorCategory.InvalidArgument, target),
        _ => new ErrorRecord(e, e.GetType().Name, ErrorCategory.ReadError, target),
    };
}
