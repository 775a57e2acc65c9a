using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace KvmPS.PowerShell.Tests;

/// <summary>
/// The transformation inside a real PowerShell engine: the parser's own literals (0xffff0000 is an Int32 there,
/// 64KB an Int32, 4GB an Int64) reach parameters of each integer type as the user meant them.
/// </summary>
public sealed class EngineBindingTests : IDisposable
{
    private readonly Runspace _runspace;

    public EngineBindingTests()
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(NumberTransformationAttribute).Assembly.Location);
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        Run("""
            function Get-U64 { param([KvmPS.PowerShell.NumberTransformation()][uint64] $Value) $Value }
            function Get-U32 { param([KvmPS.PowerShell.NumberTransformation()][uint32] $Value) $Value }
            function Get-I32 { param([KvmPS.PowerShell.NumberTransformation()][int] $Value) $Value }
            function Get-U64s { param([KvmPS.PowerShell.NumberTransformation()][uint64[]] $Value) $Value }
            function Get-N { param([KvmPS.PowerShell.NumberTransformation()][Nullable[uint64]] $Value) $Value }
            """);
    }

    [Theory]
    [InlineData("Get-U64 0xffff0000", 0xffff0000UL)]
    [InlineData("Get-U64 0xfffffff0", 0xfffffff0UL)]
    [InlineData("Get-U64 0xffffffffffffffff", ulong.MaxValue)]
    [InlineData("Get-U64 64KB", 65536UL)]
    [InlineData("Get-U64 4GB", 4UL << 30)]
    [InlineData("Get-U64 '0xffff0000'", 0xffff0000UL)]
    [InlineData("Get-U64 '1GB'", 1UL << 30)]
    [InlineData("Get-U64 -Value 0x3f8", 0x3f8UL)]
    [InlineData("Get-N 0xffff0000", 0xffff0000UL)]
    public void UInt64ParametersTakeHexAndSizes(string script, ulong expected) => Assert.Equal(expected, Assert.Single(Run(script)).BaseObject);

    [Fact]
    public void SignedParametersGetNegativeNumbersAsTyped()
    {
        Run("function Get-S { param([KvmPS.PowerShell.NumberTransformation(Signed = $true)][int] $Value) $Value }");
        Assert.Equal(-1, Assert.Single(Run("Get-S -Value -1")).BaseObject);
        Assert.Equal(-1, Assert.Single(Run("Get-S -1")).BaseObject);
        Assert.Equal(4096, Assert.Single(Run("Get-S 4KB")).BaseObject);
    }

    [Fact]
    public void UInt32ParametersTakeFullWidthHex() => Assert.Equal(0xffffffffU, Assert.Single(Run("Get-U32 0xffffffff")).BaseObject);

    [Fact]
    public void ArraysTakeHexElements() =>
        Assert.Equal(new object[] { 0xffff0000UL, 0x10UL }, Run("Get-U64s 0xffff0000, '0x10'").Select(o => o.BaseObject).ToArray());

    [Fact]
    public void AValueTooLargeForTheTypeIsStillRefusedByPowerShell()
    {
        var error = Assert.ThrowsAny<ParameterBindingException>(() => Run("Get-I32 0xffffffff"));
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMalformedStringNamesTheAcceptedForms()
    {
        var error = Assert.ThrowsAny<ParameterBindingException>(() => Run("Get-U64 'lots'"));
        Assert.Contains("0x-prefixed hexadecimal", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _runspace.Dispose();

    private Collection<PSObject> Run(string script)
    {
        using var shell = System.Management.Automation.PowerShell.Create(_runspace);
        shell.AddScript(script);
        Collection<PSObject> output = shell.Invoke();
        if (shell.HadErrors && shell.Streams.Error.Count > 0)
        {
            throw shell.Streams.Error[0].Exception;
        }
        return output;
    }
}
