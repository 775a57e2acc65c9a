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

    private static bool IsUserFacing(Exception e) =>
        e is KvmPSException or ArgumentException or ObjectDisposedException or IOException or UnauthorizedAccessException or InvalidCastException;

    internal static ErrorRecord ToErrorRecord(Exception e, object? target)
    {
        (string errorId, ErrorCategory category, string? action) = e switch
        {
            KvmPSException k => (k.ErrorId, Enum.Parse<ErrorCategory>(k.Kind.ToString()), k.RecommendedAction),
            ArgumentException => ("InvalidArgument", ErrorCategory.InvalidArgument, "Check the value against the parameter's help (Get-Help <cmdlet> -Parameter <name>)."),
            ObjectDisposedException => ("ObjectRemoved", ErrorCategory.InvalidOperation, "The object was removed; get or create a current one (Get-KvmVm, New-KvmVm)."),
            UnauthorizedAccessException => ("AccessDenied", ErrorCategory.PermissionDenied, "Run as root or as a member of the group that owns the device (usually kvm)."),
            InvalidCastException => ("InvalidValue", ErrorCategory.InvalidArgument, "Pass a value of the type the parameter's help names."),
            _ => (e.GetType().Name, ErrorCategory.ReadError, null),
        };
        var record = new ErrorRecord(e, errorId, category, target);
        record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = action ?? "" };
        return record;
    }
}
