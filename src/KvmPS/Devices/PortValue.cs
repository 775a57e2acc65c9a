namespace KvmPS.Devices;

/// <summary>Sizes and masks of port accesses.</summary>
public static class PortValue
{
    /// <summary>What a read of <paramref name="size"/> bytes returns from a port nothing decodes: all ones.</summary>
    public static uint AllOnes(int size) => size >= 4 ? uint.MaxValue : (1u << (size * 8)) - 1;

    /// <summary>Replaces the <paramref name="size"/> bytes at byte <paramref name="offset"/> of <paramref name="register"/>.</summary>
    public static uint Merge(uint register, int offset, int size, uint value)
    {
        int shift = offset * 8;
        if (shift >= 32)
        {
            return register;
        }
        ulong mask = (((ulong)AllOnes(size)) << shift) & uint.MaxValue;
        return (uint)((register & ~mask) | (((ulong)value << shift) & mask));
    }

    /// <summary>The <paramref name="size"/> bytes at byte <paramref name="offset"/> of <paramref name="register"/>.</summary>
    public static uint Extract(uint register, int offset, int size) =>
        offset >= 4 ? 0 : (register >> (offset * 8)) & AllOnes(size);
}
