namespace KvmPS.Boot;

/// <summary>EI_CLASS of an ELF file, with the machine KvmPS pairs it with (EM_386 for 32-bit, EM_X86_64 for 64-bit).</summary>
public enum ElfClass
{
    Elf32 = 1,
    Elf64 = 2,
}
