using System.Management.Automation;

namespace KvmPS.PowerShell;

/// <summary>
/// On every address, size, offset, id and value parameter: hex literals that PowerShell parsed as negative
/// numbers, hex and size strings (see <see cref="NumberParser"/>). PowerShell's own conversion then checks the
/// result against the parameter's type, so a value too large for it is still refused with PowerShell's message.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class NumberTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>
    /// True on parameters of a signed type (ids, slots, lengths): a negative number stays negative, so that the
    /// cmdlet's own range check names the problem; hex and size strings are still read.
    /// </summary>
    public bool Signed { get; set; }

    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        try
        {
            return NumberParser.Transform(inputData, keepSign: Signed);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentTransformationMetadataException(e.Message, e);
        }
    }
}
