namespace KvmPS.Kvm.X86;

/// <summary>
/// One struct kvm_cpuid_entry2: the registers CPUID returns for a leaf (Function) and subleaf (Index). Settable, so
/// that rows from Get-KvmSupportedCpuid can be edited and piped to Set-KvmCpuid.
/// </summary>
public sealed record CpuidEntry
{
    public CpuidEntry()
    {
    }

    public CpuidEntry(uint function, uint index, CpuidEntryFlags flags, uint eax, uint ebx, uint ecx, uint edx)
    {
        Function = function;
        Index = index;
        Flags = flags;
        Eax = eax;
        Ebx = ebx;
        Ecx = ecx;
        Edx = edx;
    }

    public uint Function { get; set; }
    public uint Index { get; set; }
    public CpuidEntryFlags Flags { get; set; }
    public uint Eax { get; set; }
    public uint Ebx { get; set; }
    public uint Ecx { get; set; }
    public uint Edx { get; set; }

    public override string ToString() =>
        $"0x{Function:X8}.{Index}: eax=0x{Eax:X8} ebx=0x{Ebx:X8} ecx=0x{Ecx:X8} edx=0x{Edx:X8}";
}

/// <summary>KVM_CPUID_FLAG_* of kvm_cpuid_entry2.flags (api.txt 4.46).</summary>
[Flags]
public enum CpuidEntryFlags : uint
{
    None = 0,
    /// <summary>KVM_CPUID_FLAG_SIGNIFCANT_INDEX (sic): the entry applies only to this Index.</summary>
    SignificantIndex = 1,
    StatefulFunction = 2,
    StateReadNext = 4,
}
