using System.Globalization;

namespace KvmPS.Kvm.X86;

/// <summary>One model-specific register of a vCPU (a kvm_msr_entry), or of the host's feature MSRs when VcpuId is null.</summary>
public sealed record MsrValue(int? VmId, int? VcpuId, uint Index, ulong Value)
{
    public string? Name => MsrNames.NameOf(Index);
    public string IndexHex => "0x" + Index.ToString("X", CultureInfo.InvariantCulture);
    public string Hex => "0x" + Value.ToString("X16", CultureInfo.InvariantCulture);
}
