namespace KvmPS.Interop;

internal static class Alignment
{
    /// <summary>The smallest multiple of <paramref name="alignment"/> not below <paramref name="value"/>.</summary>
    public static ulong RoundUp(ulong value, ulong alignment) => (value + alignment - 1) / alignment * alignment;
}
