using KvmPS.Kvm;

namespace KvmPS.Boot;

/// <summary>
/// Loads a multiboot kernel into a VM's RAM at guest address 0: the PT_LOAD segments (bss zeroed), then, on the
/// first page after the highest segment, the boot GDT slot followed by the multiboot information, its strings
/// and modules. Every placement is checked before anything is mapped or written.
/// </summary>
public static class KernelLoader
{
    private const ulong PageSize = 4096;

    /// <summary>Room for <see cref="X86EntryState"/>'s GDT on the page before the multiboot information.</summary>
    public const uint GdtSlotSize = 4096;

    public static LoadedKernel Load(KvmVm vm, MultibootImage image, string cmdline, IReadOnlyList<(string Name, byte[] Data)> modules, ulong ramSize)
    {
        ArgumentNullException.ThrowIfNull(vm);
        ArgumentNullException.ThrowIfNull(image);
        LoadedKernel plan = Plan(image, cmdline, modules, ramSize);
        GuestMemoryRegion ram = RamOf(vm, ramSize);
        foreach (LoadSegment segment in image.Segments)
        {
            ram.Write(segment.PhysicalAddress, segment.Data);
            ZeroFill(ram, segment.PhysicalAddress + segment.FileSize, segment.MemorySize - segment.FileSize);
        }
        ram.Write(plan.Info.Address, plan.Info.Bytes);
        return plan;
    }

    /// <summary>Where everything goes, checked against the RAM size; touches no VM.</summary>
    public static LoadedKernel Plan(MultibootImage image, string cmdline, IReadOnlyList<(string Name, byte[] Data)> modules, ulong ramSize)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(cmdline);
        ArgumentNullException.ThrowIfNull(modules);
        if (ramSize % PageSize != 0 || ramSize <= MultibootInfo.HighMemoryStart || ramSize > 1UL << 32)
        {
            throw BootErrors.InvalidRamSize(ramSize);
        }
        foreach (LoadSegment segment in image.Segments)
        {
            if (segment.EndAddress > ramSize)
            {
                throw BootErrors.DoesNotFit($"Kernel segment {segment}", ramSize);
            }
            if (segment.PhysicalAddress < MultibootInfo.HighMemoryStart && segment.EndAddress > MultibootInfo.LowMemoryEnd)
            {
                throw BootErrors.DoesNotFit($"Kernel segment {segment} overlaps the reserved 0x{MultibootInfo.LowMemoryEnd:X}-0x{MultibootInfo.HighMemoryStart:X} hole and", ramSize);
            }
        }
        ulong gdt = AlignUp(image.EndAddress, PageSize);
        ulong mbi = gdt + GdtSlotSize;
        ulong end = mbi + MultibootInfo.SizeFor(cmdline, modules);
        if (end > ramSize)
        {
            throw BootErrors.DoesNotFit($"The multiboot information and modules (0x{mbi:X}-0x{end:X}, after the kernel)", ramSize);
        }
        MultibootInfo info = MultibootInfo.Build(mbi, ramSize, cmdline, modules);
        return new LoadedKernel(image.Entry, (uint)mbi, (uint)gdt, info.EndAddress, info);
    }

    /// <summary>The VM's region at guest 0 of exactly <paramref name="ramSize"/> bytes, mapped here if the VM has no memory yet.</summary>
    private static GuestMemoryRegion RamOf(KvmVm vm, ulong ramSize)
    {
        IReadOnlyList<GuestMemoryRegion> regions = vm.MemoryRegions;
        if (regions.Count == 0)
        {
            return vm.AddMemoryRegion(0, ramSize);
        }
        return regions.FirstOrDefault(r => r.GuestAddress == 0 && r.Size >= ramSize && !r.ReadOnly)
            ?? throw BootErrors.RamMismatch($"no writable region maps 0x0-0x{ramSize - 1:X}; it has {string.Join(", ", regions)}.");
    }

    private static void ZeroFill(GuestMemoryRegion ram, ulong address, ulong length)
    {
        byte[] zeros = new byte[(int)Math.Min(length, 1 << 20)];
        for (ulong done = 0; done < length; done += (ulong)zeros.Length)
        {
            ram.Write(address + done, zeros.AsSpan(0, (int)Math.Min((ulong)zeros.Length, length - done)));
        }
    }

    private static ulong AlignUp(ulong value, ulong alignment) => (value + alignment - 1) / alignment * alignment;
}
