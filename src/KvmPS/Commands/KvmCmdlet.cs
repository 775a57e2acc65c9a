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

    /// <summary>
    /// Every exception of the call becomes an ErrorRecord, except PowerShell's own pipeline control (a stopped
    /// pipeline, -ErrorAction Stop), which must keep unwinding.
    /// </summary>
    private static bool IsUserFacing(Exception e) => e is not (PipelineStoppedException or ActionPreferenceStopException);

    /// <summary>
    /// The ErrorRecord for an exception. A KvmPSException keeps its ErrorId and category; the .NET exceptions a
    /// user can cause directly (bad argument, file access, conversion) keep their type; anything else is wrapped in
    /// a KvmPSException with a stable ErrorId, so no raw NullReferenceException, OutOfMemoryException or
    /// InvalidOperationException reaches the user.
    /// </summary>
    internal static ErrorRecord ToErrorRecord(Exception e, object? target) => e switch
    {
        KvmPSException k => new ErrorRecord(k, k.ErrorId, Enum.Parse<ErrorCategory>(k.Kind.ToString()), target),
        ArgumentException => new ErrorRecord(e, "InvalidArgument", ErrorCategory.InvalidArgument, target),
        UnauthorizedAccessException => new ErrorRecord(e, "AccessDenied", ErrorCategory.PermissionDenied, target),
        InvalidCastException => new ErrorRecord(e, "InvalidValue", ErrorCategory.InvalidArgument, target),
        IOException => new ErrorRecord(e, e.GetType().Name, ErrorCategory.ReadError, target),
        _ => ToErrorRecord(Wrap(e), target),
    };

    private static KvmPSException Wrap(Exception e) => e switch
    {
        ObjectDisposedException => new KvmPSException("ObjectRemoved", ErrorKind.InvalidOperation,
            $"{e.Message} Get-KvmVm and Get-KvmVcpu list the objects that still exist.", e),
        OutOfMemoryException => new KvmPSException("OutOfMemory", ErrorKind.ResourceUnavailable,
            $"The process could not allocate what the command needs ({e.Message}). Ask for less, or remove VMs you no longer need.", e),
        InvalidOperationException => new KvmPSException("InvalidOperation", ErrorKind.InvalidOperation, e.Message, e),
        _ => new KvmPSException("InternalError", ErrorKind.NotSpecified,
            $"KvmPS failed unexpectedly ({e.GetType().Name}: {e.Message}). This is a bug in KvmPS: please report it with the command that caused it.", e),
    };
}
