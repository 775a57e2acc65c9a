namespace KvmPS.Boot;

/// <summary>Where <see cref="KernelLoader"/> put a kernel: its entry, the multiboot information and the boot GDT slot.</summary>
public sealed record LoadedKernel(uint Entry, uint MultibootInfoAddress, uint GdtAddress, ulong BootDataEnd, MultibootInfo Info);
