using System.Globalization;

namespace KvmPS.Kvm.X86;

/// <summary>One entry of an MSR index list, with its known name.</summary>
public sealed record MsrIndex(uint Index)
{
    public string? Name => MsrNames.NameOf(Index);
    public string IndexHex => "0x" + Index.ToString("X", CultureInfo.InvariantCulture);
}
