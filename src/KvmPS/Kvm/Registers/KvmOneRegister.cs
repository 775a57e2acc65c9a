namespace KvmPS.Kvm.Registers;

/// <summary>
/// One register read with KVM_GET_ONE_REG: its id, its size in bytes, its raw bytes in the host's order, and for
/// registers of up to 8 bytes the value as a number.
/// </summary>
public sealed record KvmOneRegister(int VmId, int VcpuId, ulong Id, int Size, byte[] Bytes)
{
    public ulong? Value => Size <= sizeof(ulong)
        ? Bytes.Take(Size).Select((b, i) => (ulong)b << (8 * (BitConverter.IsLittleEndian ? i : Size - 1 - i))).Aggregate(0UL, (a, b) => a | b)
        : null;

    public string IdHex => $"0x{Id:X16}";
}
