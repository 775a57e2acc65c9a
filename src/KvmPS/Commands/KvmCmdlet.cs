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

    /// <summary>How long a cmdlet that waits (for a VM, for output) blocks before it checks for Ctrl+C again.</summary>
    protected static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);

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
    /// ShouldProcess for cmdlets with -Force: -Force skips the confirmation that ConfirmImpact High asks for, unless
    /// -Confirm is given explicitly; -WhatIf still only reports.
    /// </summary>
    protected bool ShouldChange(string target, string action, bool force)
    {
        if (!force || MyInvocation.BoundParameters.ContainsKey("Confirm"))
        {
            return ShouldProcess(target, action);
        }
        if (IsWhatIf())
        {
            ShouldProcess(target, action);   // prints the 'What if:' line and returns false
            return false;
        }
        return true;
    }

    private bool IsWhatIf() => MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? whatIf)
        ? ((SwitchParameter)whatIf).IsPresent
        : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

    /// <summary>
    /// Every exception of the call becomes an ErrorRecord, except PowerShell's own pipeline control (a stopped
    /// pipeline, -ErrorAction Stop), which must keep unwinding.
    /// </summary>
    private static bool IsUserFacing(Exception e) => e is not (PipelineStoppedException or ActionPreferenceStopException);

    /// <summary>
    /// The ErrorRecord for an exception. A KvmPSException keeps its ErrorId, category and RecommendedAction; the .NET
    /// exceptions a user can cause directly (bad argument, file access, conversion) keep their type; anything else is
    /// wrapped in a KvmPSException with a stable ErrorId, so no raw NullReferenceException, OutOfMemoryException or
    /// InvalidOperationException reaches the user.
    /// </summary>
    internal static ErrorRecord ToErrorRecord(Exception e, object? target)
    {
        (string ErrorId, ErrorCategory Category, string? Action)? known = e switch
        {
            KvmPSException k => (k.ErrorId, Enum.Parse<ErrorCategory>(k.Kind.ToString()), k.RecommendedAction),
            ArgumentException => ("InvalidArgument", ErrorCategory.InvalidArgument, "Check the value against the parameter's help (Get-Help <cmdlet> -Parameter <name>)."),
            UnauthorizedAccessException => ("AccessDenied", ErrorCategory.PermissionDenied, "Run as root or as a member of the group that owns the device (usually kvm)."),
            InvalidCastException => ("InvalidValue", ErrorCategory.InvalidArgument, "Pass a value of the type the parameter's help names."),
            IOException => (e.GetType().Name, ErrorCategory.ReadError, null),
            _ => null,
        };
        if (known is not { } kind)
        {
            return ToErrorRecord(Wrap(e), target);
        }
        string? advice = CmdletAdvice.For(kind.ErrorId);
        var record = new ErrorRecord(e, kind.ErrorId, kind.Category, target);
        record.ErrorDetails = new ErrorDetails(advice is null ? e.Message : $"{e.Message} {advice}") { RecommendedAction = advice ?? kind.Action ?? "" };
        return record;
    }

    private static KvmPSException Wrap(Exception e) => e switch
    {
        ObjectDisposedException => new KvmPSException("ObjectRemoved", ErrorKind.InvalidOperation, e.Message, e),
        OutOfMemoryException => new KvmPSException("OutOfMemory", ErrorKind.ResourceUnavailable,
            $"The process could not allocate what the command needs ({e.Message}). Ask for less, or remove VMs you no longer need.", e),
        InvalidOperationException => new KvmPSException("InvalidOperation", ErrorKind.InvalidOperation, e.Message, e),
        _ => new KvmPSException("InternalError", ErrorKind.NotSpecified,
            $"KvmPS failed unexpectedly ({e.GetType().Name}: {e.Message}). This is a bug in KvmPS: please report it with the command that caused it.", e),
    };
}
