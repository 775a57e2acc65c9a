namespace KvmPS.Boot;

/// <summary>
/// One PT_LOAD segment: <see cref="Data"/> (p_filesz bytes) goes to <see cref="PhysicalAddress"/> (p_paddr); the rest
/// of <see cref="MemorySize"/> (p_memsz) is zeroed (.bss).
/// </summary>
public sealed record LoadSegment(ulong PhysicalAddress, ulong VirtualAddress, ulong MemorySize, byte[] Data)
{
    public ulong FileSize => (ulong)Data.Length;
    public ulong EndAddress => PhysicalAddress + MemorySize;

    public override string ToString() => $"0x{PhysicalAddress:X}-0x{EndAddress:X} ({FileSize} bytes from the file)";
}
