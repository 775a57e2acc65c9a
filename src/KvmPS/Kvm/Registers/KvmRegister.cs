namespace KvmPS.Kvm.Registers;

/// <summary>One register value as the kernel's struct names it (<c>rip</c>, <c>cs.base</c>, <c>interrupt_bitmap[1]</c>).</summary>
public sealed record KvmRegister(int VmId, int VcpuId, RegisterBank Bank, string Name, ulong Value, int Size)
{
    public string Hex => "0x" + Value.ToString(Size switch { 1 => "X2", 2 => "X4", 4 => "X8", _ => "X16" }, System.Globalization.CultureInfo.InvariantCulture);
}
