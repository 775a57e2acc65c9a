using KvmPS.Interop;

namespace KvmPS.Boot;

/// <summary>The errors of the boot loaders, each with what to do about it.</summary>
internal static class BootErrors
{
    public static KvmPSException InvalidImage(string what) => new("InvalidKernelImage", ErrorKind.InvalidArgument,
        $"The kernel image is not a loadable multiboot kernel: {what}",
        recommendedAction: "Pass an ELF32 (EM_386) or ELF64 (EM_X86_64) executable with a multiboot v1 header in its first 8 KiB, such as the kernels of tests/TestKernels.");

    public static KvmPSException DoesNotFit(string what, ulong ramSize) => new("KernelOutsideRam", ErrorKind.InvalidArgument,
        $"{what} does not fit the VM's RAM (0x0-0x{ramSize:X}); nothing was mapped or written.",
        recommendedAction: "Give the VM more RAM, or use a kernel linked within it (multiboot kernels usually load at 1 MiB or above).");

    public static KvmPSException InvalidRamSize(ulong ramSize) => new("InvalidRamSize", ErrorKind.InvalidArgument,
        $"RAM size 0x{ramSize:X} cannot hold a multiboot kernel: it must be a multiple of 4 KiB, above 1 MiB and at most 4 GiB.",
        recommendedAction: "Use a size such as 64MB.");

    public static KvmPSException RamMismatch(string what) => new("RamRegionMismatch", ErrorKind.InvalidOperation,
        $"The VM's memory does not match the RAM to load into: {what}",
        recommendedAction: "Load into a VM without memory regions (the loader then maps RAM at guest address 0), or one whose first region maps 0..RAM size.");
}
