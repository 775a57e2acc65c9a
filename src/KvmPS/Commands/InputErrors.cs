using KvmPS.Interop;

namespace KvmPS.Commands;

/// <summary>Errors for input the parameter binder lets through but a cmdlet cannot use.</summary>
internal static class InputErrors
{
    /// <summary>A $null where an object is needed (an element of an array parameter, a hashtable value).</summary>
    public static KvmPSException Null(string what, string whereFrom) => KvmPSException.InvalidArgument("NullArgument",
        $"{what} is $null; pass {whereFrom}.");
}
