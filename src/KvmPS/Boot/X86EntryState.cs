using System.Buffers.Binary;
using KvmPS.Kvm;

namespace KvmPS.Boot;

/// <summary>
/// The machine state a multiboot v1 kernel starts in (Multiboot Specification 0.6.96, 3.2): 32-bit protected
/// mode with paging off, flat 4 GiB code (read/execute) and data (read/write) segments, interrupts off,
/// EAX = 0x2BADB002 and EBX = the multiboot information. GDTR points at a GDT holding those descriptors, since
/// the spec leaves GDTR undefined and kernels reload their segments from it.
/// </summary>
public static class X86EntryState
{
    public const ushort CodeSelector = 0x08;
    public const ushort DataSelector = 0x10;

    /// <summary>CR0.PE | CR0.ET.</summary>
    public const ulong Cr0 = 0x11;

    /// <summary>Only the reserved bit 1: IF is clear.</summary>
    public const ulong Rflags = 0x2;

    /// <summary>Null, flat code (type 0xB, D=1, G=1) at 0x08, flat data (type 3) at 0x10.</summary>
    public static readonly ulong[] GdtDescriptors = [0, 0x00CF_9B00_0000_FFFF, 0x00CF_9300_0000_FFFF];

    public static int GdtSize => GdtDescriptors.Length * sizeof(ulong);

    /// <summary>Writes the GDT at <paramref name="gdtAddress"/> and sets the vCPU's registers for the kernel's entry.</summary>
    public static void Apply(KvmVcpu vcpu, uint entry, uint multibootInfo, uint gdtAddress)
    {
        ArgumentNullException.ThrowIfNull(vcpu);
        var gdt = new byte[GdtSize];
        for (int i = 0; i < GdtDescriptors.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(gdt.AsSpan(i * sizeof(ulong)), GdtDescriptors[i]);
        }
        vcpu.Vm.WriteGuestMemory(gdtAddress, gdt);
        vcpu.SetRegisters(Registers(entry, multibootInfo, gdtAddress));
    }

    /// <summary>For a kernel <see cref="KernelLoader"/> placed: the GDT goes in the slot on the page before the information.</summary>
    public static void Apply(KvmVcpu vcpu, uint entry, uint multibootInfo) =>
        Apply(vcpu, entry, multibootInfo, multibootInfo - KernelLoader.GdtSlotSize);

    public static void Apply(KvmVcpu vcpu, LoadedKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        Apply(vcpu, kernel.Entry, kernel.MultibootInfoAddress, kernel.GdtAddress);
    }

    /// <summary>The register values by their Get-KvmRegister names.</summary>
    public static IReadOnlyDictionary<string, ulong> Registers(uint entry, uint multibootInfo, uint gdtAddress)
    {
        var values = new Dictionary<string, ulong>
        {
            ["rip"] = entry,
            ["rax"] = MultibootInfo.BootloaderMagic,
            ["rbx"] = multibootInfo,
            ["rflags"] = Rflags,
            ["cr0"] = Cr0,
            ["cr3"] = 0,
            ["cr4"] = 0,
            ["efer"] = 0,
            ["gdt.base"] = gdtAddress,
            ["gdt.limit"] = (ulong)GdtSize - 1,
            ["idt.base"] = 0,
            ["idt.limit"] = 0,
        };
        FlatSegment(values, "cs", CodeSelector, type: 0xB);
        foreach (string segment in new[] { "ds", "es", "fs", "gs", "ss" })
        {
            FlatSegment(values, segment, DataSelector, type: 0x3);
        }
        return values;
    }

    private static void FlatSegment(Dictionary<string, ulong> values, string name, ushort selector, byte type)
    {
        values[$"{name}.selector"] = selector;
        values[$"{name}.base"] = 0;
        values[$"{name}.limit"] = 0xFFFF_FFFF;
        values[$"{name}.type"] = type;
        values[$"{name}.present"] = 1;
        values[$"{name}.dpl"] = 0;
        values[$"{name}.db"] = 1;
        values[$"{name}.s"] = 1;
        values[$"{name}.l"] = 0;
        values[$"{name}.g"] = 1;
        values[$"{name}.avl"] = 0;
        values[$"{name}.unusable"] = 0;
    }
}
